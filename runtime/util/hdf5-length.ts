// How long an HDF5 file says it is. HDF5 writes the file's end ("end of file address") into its
// superblock, so a file cut short (an interrupted download or copy) can be told from a file that
// is not HDF5 at all, which h5wasm reports alike ("not an HDF5 file"), or worse, opens and then
// fails on some dataset deep inside. The superblock sits at byte 0 or, after a user block, at
// 512, 1024, 2048, … (HDF5 file format specification, "Format Signature and Superblock").

import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Hdf5Length {
  /** The file's size on disk. */
  size: number;
  /** The size its superblock records; "cut" when the file ends inside the superblock; null for a
   *  superblock version this reader does not know. */
  declared: number | "cut" | null;
}

/** The sizes of an HDF5 file; null when no HDF5 signature is where one may be (not HDF5). */
export function hdf5Length(path: string): Hdf5Length | null {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    for (let at = 0; at + SIGNATURE.length <= size; at = at === 0 ? 512 : at * 2) {
      const head = Buffer.alloc(64);
      const got = readSync(fd, head, 0, head.length, at);
      if (got < SIGNATURE.length || !head.subarray(0, SIGNATURE.length).equals(SIGNATURE)) continue;
      return { size, declared: declaredEnd(head.subarray(0, got)) };
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Base address + end-of-file address from a superblock's first bytes. */
function declaredEnd(sb: Buffer): number | "cut" | null {
  if (sb.length <= 8) return "cut";
  const version = sb[8];
  // Versions 0 and 1: the sizes of offsets at byte 13; base, free-space, end-of-file addresses
  // from byte 24 (28 in version 1). Versions 2 and 3: the size at byte 9; base,
  // superblock-extension, end-of-file addresses from byte 12.
  const [sizeAt, baseAt] = version === 0 ? [13, 24] : version === 1 ? [13, 28] : version === 2 || version === 3 ? [9, 12] : [-1, -1];
  if (sizeAt < 0) return null;
  if (sb.length <= sizeAt) return "cut";
  const o = sb[sizeAt];
  if (o !== 2 && o !== 4 && o !== 8) return null;
  if (sb.length < baseAt + 3 * o) return "cut";
  const address = (k: number): number => {
    const from = baseAt + k * o;
    let v = 0n;
    for (let b = o - 1; b >= 0; b--) v = (v << 8n) | BigInt(sb[from + b]);
    return Number(v);
  };
  return address(0) + address(2); // base + end of file (relative to the base)
}

/** How an HDF5 file is shorter than its superblock says ("cut short: 3000 of its 62664 bytes
 *  (…)", to follow "<file> is an HDF5 file "), else null (complete, not HDF5, or unreadable). */
export function hdf5CutShort(path: string): string | null {
  let len: Hdf5Length | null;
  try {
    len = hdf5Length(path);
  } catch {
    return null; // unreadable: the caller's own open reports it
  }
  if (len === null || len.declared === null) return null;
  if (len.declared === "cut") return `cut short: it ends inside its superblock, after ${len.size} bytes (an interrupted download or copy?)`;
  if (len.size >= len.declared) return null;
  return `cut short: ${len.size} of its ${len.declared} bytes (an interrupted download or copy?)`;
}
