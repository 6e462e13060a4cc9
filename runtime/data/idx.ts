// Reader for the official (Fashion-)MNIST IDX files, gzip-compressed or plain, as downloaded:
//   train-images-idx3-ubyte[.gz]  train-labels-idx1-ubyte[.gz]
//   t10k-images-idx3-ubyte[.gz]   t10k-labels-idx1-ubyte[.gz]
// IDX layout: magic (0x00 0x00, type byte 0x08 = unsigned byte, number of dimensions), one
// big-endian uint32 per dimension, then the data. A wrong or truncated file (a failed download,
// a label file passed as images) must stop with the file name and byte offset, never yield a
// silently shorter dataset. Offsets in a .gz file refer to the decompressed stream.

import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, constants as zlibConstants } from "node:zlib";
import { DataError } from "./data-error.ts";
import type { ImageSet } from "./image-dataset.ts";

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxArray {
  dims: number[];
  /** Offset of the first data byte (4 + 4·dims). */
  dataOffset: number;
  /** The whole (decompressed) file; the data is bytes.subarray(dataOffset). */
  bytes: Uint8Array;
}

/** Read a file, gunzipping it when it starts with the gzip magic bytes (not by its name). */
export function readMaybeGzip(file: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    throw new DataError(file, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    // Sync flush returns whatever decompresses before the end, so a truncated download reaches
    // the IDX length check below and gets a message saying how many bytes are missing.
    return gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (e) {
    throw new DataError(file, `corrupt gzip data (${(e as Error).message})`);
  }
}

/** Parse an IDX header and check the magic number; the caller checks dims and length. */
export function parseIdx(file: string, bytes: Uint8Array, magic: number, what: string): IdxArray {
  if (bytes.length < 4) {
    throw new DataError(file, `truncated header (expected a 4-byte magic number, got ${bytes.length} bytes)`, { offset: 0 });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new DataError(file, `bad magic number ${hex(found)} (expected ${hex(magic)} for an IDX ${what} file)`, { offset: 0 });
  }
  const ndims = magic & 0xff;
  const dataOffset = 4 + 4 * ndims;
  if (bytes.length < dataOffset) {
    throw new DataError(file, `truncated header (expected ${ndims} dimensions, file has ${bytes.length} bytes)`, { offset: 4 });
  }
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  return { dims, dataOffset, bytes };
}

/** Check that exactly `expected` data bytes follow the header. */
function checkLength(file: string, idx: IdxArray, expected: number, what: string): Uint8Array {
  const got = idx.bytes.length - idx.dataOffset;
  if (got < expected) {
    throw new DataError(file, `truncated ${what} (expected ${expected} bytes, got ${got})`, { offset: idx.dataOffset });
  }
  if (got > expected) {
    throw new DataError(file, `${got - expected} unexpected bytes after the ${what}`, { offset: idx.dataOffset + expected });
  }
  return idx.bytes.subarray(idx.dataOffset);
}

/** Read an IDX image file (n × rows × cols unsigned bytes). */
export function readIdxImages(file: string, rows = 28, cols = 28): { count: number; rows: number; cols: number; images: Uint8Array } {
  const idx = parseIdx(file, readMaybeGzip(file), IDX_IMAGES_MAGIC, "image");
  const [count, r, c] = idx.dims;
  if (r !== rows || c !== cols) {
    throw new DataError(file, `images are ${r}×${c}, expected ${rows}×${cols}`, { offset: 8 });
  }
  const images = checkLength(file, idx, count * rows * cols, "image data");
  return { count, rows, cols, images };
}

/** Read an IDX label file (n unsigned bytes), each < classes. */
export function readIdxLabels(file: string, classes = 10): Uint8Array {
  const idx = parseIdx(file, readMaybeGzip(file), IDX_LABELS_MAGIC, "label");
  const labels = checkLength(file, idx, idx.dims[0], "label data");
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new DataError(file, `label ${labels[i]} out of range [0, ${classes})`, { offset: idx.dataOffset + i });
    }
  }
  return labels;
}

/** Path of `base` or `base.gz` in dir (the .gz wins when both exist); DataError when neither does. */
export function findIdxFile(dir: string, base: string): string {
  for (const name of [`${base}.gz`, base]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new DataError(join(dir, `${base}.gz`), `file not found (nor ${base} uncompressed); --data must hold the four IDX files ` +
    "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (.gz or plain)");
}

/** Load one split ("train" or "t10k") from a directory of IDX files. */
export function loadIdxSplit(dir: string, split: "train" | "t10k", classes = 10): ImageSet {
  const imageFile = findIdxFile(dir, `${split}-images-idx3-ubyte`);
  const labelFile = findIdxFile(dir, `${split}-labels-idx1-ubyte`);
  const { count, rows, cols, images } = readIdxImages(imageFile);
  const labels = readIdxLabels(labelFile, classes);
  if (labels.length !== count) {
    throw new DataError(labelFile, `${labels.length} labels for ${count} images in ${imageFile}`, { offset: 4 });
  }
  return { count, rows, cols, images, labels };
}

function hex(n: number): string {
  return "0x" + n.toString(16).padStart(8, "0");
}
