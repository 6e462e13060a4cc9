// A small reader and writer for the safetensors format (https://huggingface.co/docs/safetensors),
// which PyTorch, JAX, numpy and most model tools read:
//
//   bytes 0–7   N, the header length (unsigned 64-bit little-endian)
//   bytes 8…    N bytes of UTF-8 JSON: { "<tensor>": { "dtype": "F32", "shape": [..],
//               "data_offsets": [begin, end] }, …, "__metadata__": { "<key>": "<string>" } }
//   then        the data section; each tensor's bytes (little-endian, row-major) lie at
//               [begin, end) relative to the start of this section.
//
// The writer pads the header with spaces to a multiple of 8 bytes (as the reference writer does)
// so every tensor starts 8-byte aligned, and lays tensors out in the order given. The reader checks
// everything a truncated or corrupt file can get wrong and says what, in one sentence naming the file.

import { readFileSync } from "node:fs";
import { endianness } from "node:os";

export type Dtype = "F64" | "F32" | "I64" | "I32" | "I16" | "I8" | "U64" | "U32" | "U16" | "U8" | "BOOL" | "F16" | "BF16";

const DTYPE_BYTES: Record<Dtype, number> = {
  F64: 8, F32: 4, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1, F16: 2, BF16: 2,
};

export type TensorData = Float64Array | Float32Array | BigInt64Array | Int32Array | Int16Array | Int8Array | BigUint64Array | Uint32Array | Uint16Array | Uint8Array;

export interface Tensor {
  dtype: Dtype;
  shape: number[];
  /** A typed array of the dtype (F16, BF16 and BOOL come back as their raw bytes in a Uint8Array / Uint16Array). */
  data: TensorData;
}

export interface Safetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Corrupt, truncated or unreadable safetensors input; the message names the file. */
export class SafetensorsError extends Error {
  readonly userFacing = true;
  override readonly name = "SafetensorsError";
}

if (endianness() !== "LE") throw new Error("snnc's safetensors code assumes a little-endian machine");

/** A tensor's data typed by its dtype; `shape` defaults to [data.length]. */
export function tensor(data: Float32Array, shape: number[] = [data.length]): Tensor {
  return { dtype: "F32", shape, data };
}

function expectedDtype(data: TensorData): Dtype[] {
  if (data instanceof Float64Array) return ["F64"];
  if (data instanceof Float32Array) return ["F32"];
  if (data instanceof BigInt64Array) return ["I64"];
  if (data instanceof Int32Array) return ["I32"];
  if (data instanceof Int16Array) return ["I16"];
  if (data instanceof Int8Array) return ["I8"];
  if (data instanceof BigUint64Array) return ["U64"];
  if (data instanceof Uint32Array) return ["U32"];
  if (data instanceof Uint16Array) return ["U16", "F16", "BF16"];
  return ["U8", "BOOL"];
}

/** Serialises tensors (in the map's order) and string metadata into one safetensors byte buffer. */
export function encodeSafetensors(tensors: Map<string, Tensor> | [string, Tensor][], metadata: Record<string, string> = {}): Uint8Array {
  const entries = [...tensors];
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== "string") throw new TypeError(`safetensors metadata values must be strings; "${k}" is ${typeof v}`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === "__metadata__") throw new TypeError(`"__metadata__" cannot name a tensor`);
    if (!expectedDtype(t.data).includes(t.dtype)) throw new TypeError(`tensor ${name}: ${t.data.constructor.name} does not hold ${t.dtype}`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new TypeError(`tensor ${name}: shape [${t.shape.join(", ")}] holds ${count} values, the data ${t.data.length}`);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  const jsonBytes = Buffer.byteLength(json);
  json += " ".repeat((8 - ((8 + jsonBytes) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

const MAX_HEADER = 100_000_000;

/** Parses a safetensors buffer; `file` names it in error messages. Tensor data is copied (aligned). */
export function decodeSafetensors(bytes: Uint8Array, file: string): Safetensors {
  const fail = (what: string): never => {
    throw new SafetensorsError(`${file}: ${what}`);
  };
  if (bytes.length < 8)
    fail(`not a safetensors file: it is ${bytes.length} byte${bytes.length === 1 ? "" : "s"} long, shorter than the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) fail(`not a safetensors file: its first 8 bytes give a header length of ${n} bytes`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length)
    fail(`truncated safetensors file: the header should be ${headerLength} bytes but only ${bytes.length - 8} follow the length field`);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString("utf8"));
  } catch {
    fail(`corrupt safetensors header: the ${headerLength} header bytes are not valid JSON`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) fail("corrupt safetensors header: not a JSON object");
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, Tensor>();
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (entry === null || typeof entry !== "object" || Array.isArray(entry)) fail("corrupt safetensors header: __metadata__ is not an object");
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== "string") fail(`corrupt safetensors header: metadata "${k}" is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== "object") fail(`corrupt safetensors header: tensor ${name} is not an object`);
    if (typeof e.dtype !== "string" || !(e.dtype in DTYPE_BYTES)) fail(`corrupt safetensors header: tensor ${name} has unknown dtype ${JSON.stringify(e.dtype)}`);
    const dtype = e.dtype as Dtype;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      fail(`corrupt safetensors header: tensor ${name} has an invalid shape ${JSON.stringify(e.shape)}`);
    const shape = e.shape as number[];
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isSafeInteger(d) && d >= 0) || offs[1] < offs[0])
      fail(`corrupt safetensors header: tensor ${name} has invalid data_offsets ${JSON.stringify(offs)}`);
    const [begin, end] = offs as [number, number];
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * DTYPE_BYTES[dtype])
      fail(`corrupt safetensors header: tensor ${name} (${dtype} [${shape.join(", ")}]) needs ${count * DTYPE_BYTES[dtype]} bytes but data_offsets span ${end - begin}`);
    if (end > dataLength)
      fail(`truncated safetensors file: tensor ${name} needs data bytes ${begin}–${end} but the data section holds only ${dataLength}`);
    spans.push([begin, end, name]);
    // A copy (Buffer#slice would share the file's, possibly pooled, memory): aligned and owned.
    const raw = new Uint8Array(end - begin);
    raw.set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { dtype, shape, data: typed(dtype, raw.buffer) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < spans.length; k++)
    if (spans[k][0] < spans[k - 1][1]) fail(`corrupt safetensors header: tensors ${spans[k - 1][2]} and ${spans[k][2]} overlap`);
  return { tensors, metadata };
}

function typed(dtype: Dtype, buf: ArrayBuffer): TensorData {
  switch (dtype) {
    case "F64": return new Float64Array(buf);
    case "F32": return new Float32Array(buf);
    case "I64": return new BigInt64Array(buf);
    case "I32": return new Int32Array(buf);
    case "I16": return new Int16Array(buf);
    case "I8": return new Int8Array(buf);
    case "U64": return new BigUint64Array(buf);
    case "U32": return new Uint32Array(buf);
    case "U16": case "F16": case "BF16": return new Uint16Array(buf);
    case "U8": case "BOOL": return new Uint8Array(buf);
  }
}

/** Reads and parses a safetensors file; read failures become one sentence naming the file. */
export function readSafetensors(path: string): Safetensors {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new SafetensorsError(`${path}: cannot read the checkpoint: ${why}`);
  }
  return decodeSafetensors(bytes, path);
}
