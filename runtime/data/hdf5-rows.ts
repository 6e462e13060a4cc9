// Numeric reads from HDF5 through h5wasm, row by row, converting every element to float64.
//
// Why not h5wasm's Dataset.value: the real SHD files store spikes/times as variable-length
// *float16* arrays, and h5wasm 0.10 throws "Float16 not supported" when it converts them; it also
// reads a whole dataset at once. So we call the same low-level entry points h5wasm uses
// (Module.get_dataset_data on a hyperslab, then reclaim the vlen buffers) and decode the bytes
// ourselves: integers of 1/2/4/8 bytes, IEEE floats of 2/4/8 bytes, plain or variable-length.
// h5wasm's read (read_write_dataset_data in its hdf5_util.cc) uses a copy of the file datatype as
// the memory type, switched to little-endian, so float16 arrives as raw half-precision bits. Reading a block of rows at a time bounds the wasm heap used.
//
// Supported shapes: 1-D numeric (one value per row), 1-D variable-length numeric (one array per
// row, SHD's layout), and 2-D numeric (one fixed-length array per row, e.g. NaN-padded times).

import type { Dataset, Metadata } from "h5wasm/node";
import type h5wasmDefault from "h5wasm/node";

type H5Module = Awaited<(typeof h5wasmDefault)["ready"]>;

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_VLEN = 9;

export type RowLayout = "scalar" | "vlen" | "matrix";

export interface RowInfo {
  layout: RowLayout;
  /** Number of rows (shape[0]). */
  rows: number;
  /** Values per row for "matrix" (shape[1]); 1 for "scalar"; undefined for "vlen". */
  width?: number;
  /** Element type of the numbers (the base type for vlen). */
  element: Metadata;
}

/** Describe a dataset as rows of numbers, or return why it cannot be read as such. */
export function rowInfo(ds: Dataset): RowInfo | string {
  const m = ds.metadata;
  const shape = m.shape ?? [];
  if (m.type === H5T_VLEN) {
    if (!m.vlen_type || !isNumeric(m.vlen_type)) return "variable-length data of a non-numeric type";
    if (shape.length !== 1) return `variable-length data must be 1-D, shape is [${shape.join(", ")}]`;
    return { layout: "vlen", rows: shape[0], element: m.vlen_type };
  }
  if (!isNumeric(m)) return `not numeric (HDF5 type class ${m.type}, size ${m.size})`;
  if (shape.length === 1) return { layout: "scalar", rows: shape[0], width: 1, element: m };
  if (shape.length === 2) return { layout: "matrix", rows: shape[0], width: shape[1], element: m };
  return `expected 1-D or 2-D data, shape is [${shape.join(", ")}]`;
}

/** Rows [start, start + count) as one Float64Array each. */
export function readRows(Module: H5Module, ds: Dataset, info: RowInfo, start: number, count: number): Float64Array[] {
  if (count === 0) return [];
  const { file_id, path } = ds;
  const out: Float64Array[] = [];
  if (info.layout === "vlen") {
    // Each element of the buffer is an hvl_t {size_t len; void *p} (4 + 4 bytes in wasm32).
    const ptr = malloc(Module, count * 8);
    try {
      Module.get_dataset_data(file_id, path, [BigInt(count)], [BigInt(start)], [1n], BigInt(ptr));
      try {
        const heap = Module.HEAPU8; // read after the call: the heap may have grown
        const view = new DataView(heap.buffer);
        for (let i = 0; i < count; i++) {
          const len = view.getUint32(ptr + 8 * i, true);
          const dataPtr = view.getUint32(ptr + 8 * i + 4, true);
          out.push(decode(view, dataPtr, len, info.element, info.element.littleEndian));
        }
      } finally {
        Module.reclaim_vlen_memory_count(file_id, path, "", BigInt(ptr), [BigInt(count)]);
      }
    } finally {
      Module._free(ptr);
    }
    return out;
  }
  const width = info.width ?? 1;
  const size = info.element.size;
  const ptr = malloc(Module, count * width * size);
  try {
    const countDims = info.layout === "matrix" ? [BigInt(count), BigInt(width)] : [BigInt(count)];
    const offsetDims = info.layout === "matrix" ? [BigInt(start), 0n] : [BigInt(start)];
    const strides = info.layout === "matrix" ? [1n, 1n] : [1n];
    Module.get_dataset_data(file_id, path, countDims, offsetDims, strides, BigInt(ptr));
    const view = new DataView(Module.HEAPU8.buffer);
    // h5wasm reads with the file's type made little-endian, so plain data arrives little-endian.
    for (let i = 0; i < count; i++) out.push(decode(view, ptr + i * width * size, width, info.element, true));
  } finally {
    Module._free(ptr);
  }
  return out;
}

/** All values of a 1-D numeric dataset. */
export function readVector(Module: H5Module, ds: Dataset, info: RowInfo): Float64Array {
  const rows = readRows(Module, ds, info, 0, info.rows);
  return Float64Array.from(rows, (r) => r[0]);
}

/** Whether typed arrays on this machine read little-endian data as it is (x86, Arm). */
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function decode(view: DataView, ptr: number, n: number, t: Metadata, le: boolean): Float64Array {
  const out = new Float64Array(n);
  const s = t.size;
  // SHD's two arrays, float16 times and uint16 units, read through a typed view of the wasm heap
  // rather than a DataView call per value: ~7 → ~4 ns a value (profiled on synthetic files).
  if (s === 2 && le === HOST_LITTLE_ENDIAN && ptr % 2 === 0) {
    if (t.type === H5T_FLOAT) {
      const raw = new Uint16Array(view.buffer, ptr, n);
      const half = halfTable();
      for (let i = 0; i < n; i++) out[i] = half[raw[i]];
    } else out.set(t.signed ? new Int16Array(view.buffer, ptr, n) : new Uint16Array(view.buffer, ptr, n));
    return out;
  }
  if (t.type === H5T_FLOAT) {
    if (s === 4) for (let i = 0; i < n; i++) out[i] = view.getFloat32(ptr + 4 * i, le);
    else if (s === 8) for (let i = 0; i < n; i++) out[i] = view.getFloat64(ptr + 8 * i, le);
    else {
      const half = halfTable(); // big-endian or unaligned data: one value at a time
      for (let i = 0; i < n; i++) out[i] = half[view.getUint16(ptr + 2 * i, le)];
    }
    return out;
  }
  if (s === 1) for (let i = 0; i < n; i++) out[i] = t.signed ? view.getInt8(ptr + i) : view.getUint8(ptr + i);
  else if (s === 2) for (let i = 0; i < n; i++) out[i] = t.signed ? view.getInt16(ptr + 2 * i, le) : view.getUint16(ptr + 2 * i, le);
  else if (s === 4) for (let i = 0; i < n; i++) out[i] = t.signed ? view.getInt32(ptr + 4 * i, le) : view.getUint32(ptr + 4 * i, le);
  else for (let i = 0; i < n; i++) out[i] = Number(t.signed ? view.getBigInt64(ptr + 8 * i, le) : view.getBigUint64(ptr + 8 * i, le));
  return out;
}

/** halfToFloat of every 16-bit pattern, made on first use (512 KiB): SHD's spike times are float16,
 *  ~7000 a sample, and computing each took ~26 ns (a quarter of loading synthetic SHD files). */
let halfs: Float64Array | null = null;
export function halfTable(): Float64Array {
  if (!halfs) {
    halfs = new Float64Array(0x10000);
    for (let h = 0; h < 0x10000; h++) halfs[h] = halfToFloat(h);
  }
  return halfs;
}

/** IEEE 754 binary16 → number (subnormals, ±∞ and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function isNumeric(m: Metadata): boolean {
  if (m.type === H5T_INTEGER) return m.size === 1 || m.size === 2 || m.size === 4 || m.size === 8;
  if (m.type === H5T_FLOAT) return m.size === 2 || m.size === 4 || m.size === 8;
  return false;
}

function malloc(Module: H5Module, nbytes: number): number {
  const ptr = Module._malloc(Math.max(1, nbytes));
  if (ptr === 0) throw new Error(`wasm allocation of ${nbytes} bytes failed`);
  return ptr;
}
