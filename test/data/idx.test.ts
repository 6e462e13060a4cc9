import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/data-error.ts";
import { loadIdxSplit, readIdxImages, readIdxLabels } from "../../runtime/data/idx.ts";
import { loadFashionMnist } from "../../runtime/data/fashion-mnist.ts";
import { caught } from "./caught.ts";

const tmp = mkdtempSync(join(tmpdir(), "snnc-idx-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

/** n images of 28×28 where image k has pixel j = (k·31 + j) mod 256. */
function images(n: number): Uint8Array {
  const a = new Uint8Array(n * 784);
  for (let k = 0; k < n; k++) for (let j = 0; j < 784; j++) a[k * 784 + j] = (k * 31 + j) % 256;
  return a;
}

function writeSet(dir: string, gz: boolean, split: "train" | "t10k", n: number, labels: number[]): void {
  const enc = (b: Buffer) => (gz ? gzipSync(b) : b);
  const sfx = gz ? ".gz" : "";
  writeFileSync(join(dir, `${split}-images-idx3-ubyte${sfx}`), enc(idx(0x803, [n, 28, 28], images(n))));
  writeFileSync(join(dir, `${split}-labels-idx1-ubyte${sfx}`), enc(idx(0x801, [n], Uint8Array.from(labels))));
}


describe("IDX reader", () => {
  for (const gz of [true, false]) {
    it(`decodes ${gz ? "gzip" : "plain"} files exactly`, () => {
      const dir = mkdtempSync(join(tmp, gz ? "gz-" : "plain-"));
      writeSet(dir, gz, "train", 3, [9, 0, 4]);
      writeSet(dir, gz, "t10k", 2, [1, 2]);
      const train = loadIdxSplit(dir, "train");
      expect(train.count).toBe(3);
      expect([train.rows, train.cols]).toEqual([28, 28]);
      expect(Array.from(train.labels)).toEqual([9, 0, 4]);
      expect(Buffer.from(train.images).equals(Buffer.from(images(3)))).toBe(true);
      expect(train.images[784 * 2 + 5]).toBe((2 * 31 + 5) % 256);
      const test = loadIdxSplit(dir, "t10k");
      expect(Array.from(test.labels)).toEqual([1, 2]);

      // Through the dataset: sample 1 of train is image 1 latency-coded, label 0.
      const fm = loadFashionMnist({ dir, tauEffSteps: 20, theta: 0.2, steps: 100 });
      expect(fm.train.length).toBe(3);
      expect(fm.test.length).toBe(2);
      expect(fm.source).toBe(`IDX files in ${dir} (3 train / 2 test)`);
      const s = fm.train.get(1);
      expect(s.label).toBe(0);
      // Image 1 has pixel j = (31 + j) mod 256. The earliest step is 4 (pixels 231…255:
      // 20·ln(x/(x − 0.2)) = 4.989 at 231, 5.01 at 230); the first such unit is j = 200 (pixel 231).
      expect(s.times[0]).toBe(4);
      expect(s.units[0]).toBe(200);
      expect(Array.from(s.units.subarray(0, 3))).toEqual([200, 201, 202]);
    });
  }

  it("reports truncated image data with file and byte offset", () => {
    const file = join(tmp, "train-images-idx3-ubyte.gz");
    writeFileSync(file, gzipSync(idx(0x803, [60000, 28, 28], new Uint8Array(1200))));
    expect(caught(() => readIdxImages(file)).message).toBe(
      `${file}: byte 16: truncated image data (expected 47040000 bytes, got 1200)`,
    );
  });

  it("reports a truncated gzip stream as truncated data, not a zlib error", () => {
    const file = join(tmp, "cut-images-idx3-ubyte.gz");
    const whole = gzipSync(idx(0x803, [10, 28, 28], images(10)));
    writeFileSync(file, whole.subarray(0, whole.length - 200));
    expect(caught(() => readIdxImages(file)).message).toMatch(
      new RegExp(`^${escape(file)}: byte 16: truncated image data \\(expected 7840 bytes, got \\d+\\)$`),
    );
  });

  it("rejects a bad magic number (labels passed as images)", () => {
    const file = join(tmp, "swapped-idx3-ubyte");
    writeFileSync(file, idx(0x801, [2], Uint8Array.from([1, 2])));
    expect(caught(() => readIdxImages(file)).message).toBe(
      `${file}: byte 0: bad magic number 0x00000801 (expected 0x00000803 for an IDX image file)`,
    );
  });

  it("rejects wrong image size, short header, trailing bytes and bad labels", () => {
    const small = join(tmp, "small-idx3-ubyte");
    writeFileSync(small, idx(0x803, [1, 32, 28], new Uint8Array(32 * 28)));
    expect(caught(() => readIdxImages(small)).message).toBe(`${small}: byte 8: images are 32×28, expected 28×28`);

    const short = join(tmp, "short-idx3-ubyte");
    writeFileSync(short, Buffer.from([0, 0, 8, 3, 0, 0]));
    expect(caught(() => readIdxImages(short)).message).toBe(
      `${short}: byte 4: truncated header (expected 3 dimensions, file has 6 bytes)`,
    );

    const long = join(tmp, "long-idx1-ubyte");
    writeFileSync(long, idx(0x801, [2], Uint8Array.from([1, 2, 3])));
    expect(caught(() => readIdxLabels(long)).message).toBe(`${long}: byte 10: 1 unexpected bytes after the label data`);

    const bad = join(tmp, "bad-idx1-ubyte");
    writeFileSync(bad, idx(0x801, [3], Uint8Array.from([1, 12, 3])));
    expect(caught(() => readIdxLabels(bad)).message).toBe(`${bad}: byte 9: label 12 out of range [0, 10)`);
  });

  it("names the missing file and the expected set", () => {
    const dir = mkdtempSync(join(tmp, "empty-"));
    expect(caught(() => loadIdxSplit(dir, "train")).message).toMatch(
      new RegExp(`^${escape(join(dir, "train-images-idx3-ubyte.gz"))}: file not found \\(nor train-images-idx3-ubyte uncompressed\\)`),
    );
  });

  it("checks that image and label counts agree", () => {
    const dir = mkdtempSync(join(tmp, "mismatch-"));
    writeSet(dir, false, "train", 3, [1, 2, 3]);
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), idx(0x801, [2], Uint8Array.from([1, 2])));
    expect(caught(() => loadIdxSplit(dir, "train")).message).toBe(
      `${join(dir, "train-labels-idx1-ubyte")}: byte 4: 2 labels for 3 images in ${join(dir, "train-images-idx3-ubyte")}`,
    );
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
