// The safetensors reader and writer: round trips, the byte layout other tools expect, and one
// exact sentence for each way a file can be truncated or corrupt.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, readSafetensors, SafetensorsError, type Tensor } from "../../runtime/checkpoint/safetensors.ts";

const tmp = mkdtempSync(join(tmpdir(), "snnc-safetensors-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sample = (): Map<string, Tensor> =>
  new Map<string, Tensor>([
    ["w1", { dtype: "F32", shape: [2, 3], data: Float32Array.from([1.5, -2, 0, 3.25, Number.MIN_VALUE, -0]) }],
    ["steps", { dtype: "I32", shape: [2], data: Int32Array.from([7, -1]) }],
    ["mask", { dtype: "U8", shape: [3], data: Uint8Array.from([0, 1, 255]) }],
    ["wide", { dtype: "F64", shape: [1], data: Float64Array.from([Math.PI]) }],
    ["empty", { dtype: "F32", shape: [0, 4], data: new Float32Array(0) }],
  ]);

/** A file from a header object and a data section, the way any writer would lay it out. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), headerLength?: number): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe("safetensors", () => {
  it("round-trips tensors and metadata exactly", () => {
    const bytes = encodeSafetensors(sample(), { format: "test", epoch: "3" });
    const back = decodeSafetensors(bytes, "x.safetensors");
    expect(back.metadata).toEqual({ format: "test", epoch: "3" });
    expect([...back.tensors.keys()]).toEqual(["w1", "steps", "mask", "wide", "empty"]);
    for (const [name, t] of sample()) {
      const b = back.tensors.get(name)!;
      expect(b.dtype).toBe(t.dtype);
      expect(b.shape).toEqual(t.shape);
      expect(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength)).toEqual(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      expect(b.data.constructor).toBe(t.data.constructor);
    }
  });

  it("lays the file out as the format says: u64 LE header length, 8-byte aligned JSON header, packed LE data", () => {
    const bytes = encodeSafetensors(sample(), { a: "b" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString("utf8"));
    expect(header.__metadata__).toEqual({ a: "b" });
    expect(header.w1).toEqual({ dtype: "F32", shape: [2, 3], data_offsets: [0, 24] });
    expect(header.steps).toEqual({ dtype: "I32", shape: [2], data_offsets: [24, 32] });
    expect(header.mask).toEqual({ dtype: "U8", shape: [3], data_offsets: [32, 35] });
    expect(header.wide).toEqual({ dtype: "F64", shape: [1], data_offsets: [35, 43] });
    expect(bytes.length).toBe(8 + n + 43);
    const data = new DataView(bytes.buffer, 8 + n);
    expect(data.getFloat32(12, true)).toBe(3.25);
    expect(data.getInt32(28, true)).toBe(-1);
    expect(data.getFloat64(35, true)).toBe(Math.PI);
  });

  it("reads files from other writers (no padding, tensors out of order)", () => {
    const data = new Uint8Array(12);
    new DataView(data.buffer).setFloat32(0, 9, true);
    new DataView(data.buffer).setFloat32(4, 8, true);
    new DataView(data.buffer).setFloat32(8, 7, true);
    const f = rawFile({ b: { dtype: "F32", shape: [1], data_offsets: [8, 12] }, a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, data);
    const back = decodeSafetensors(f, "other.safetensors");
    expect(Array.from(back.tensors.get("a")!.data as Float32Array)).toEqual([9, 8]);
    expect(Array.from(back.tensors.get("b")!.data as Float32Array)).toEqual([7]);
    expect(back.metadata).toEqual({});
  });

  const f32 = (n: number, at = 0) => ({ dtype: "F32", shape: [n], data_offsets: [at, at + 4 * n] });
  const cases: [string, Uint8Array, string][] = [
    ["an empty file", new Uint8Array(0), "bad.safetensors: not a safetensors file: it is 0 bytes long, shorter than the 8-byte header length"],
    ["5 bytes", new Uint8Array(5), "bad.safetensors: not a safetensors file: it is 5 bytes long, shorter than the 8-byte header length"],
    ["a text file", Buffer.from("hello, this is not a checkpoint"), "bad.safetensors: not a safetensors file: its first 8 bytes give a header length of 8367736964726416744 bytes"],
    ["a cut header", rawFile({ w: f32(2) }).subarray(0, 20), "bad.safetensors: truncated safetensors file: the header should be 54 bytes but only 12 follow the length field"],
    ["a header that is not JSON", rawFile({}, new Uint8Array(0), 2).subarray(0, 10).fill(0x7b, 8), "bad.safetensors: corrupt safetensors header: the 2 header bytes are not valid JSON"],
    ["a JSON array header", rawFile([1, 2]), "bad.safetensors: corrupt safetensors header: not a JSON object"],
    ["an unknown dtype", rawFile({ w: { dtype: "Q4", shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), 'bad.safetensors: corrupt safetensors header: tensor w has unknown dtype "Q4"'],
    ["a bad shape", rawFile({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), "bad.safetensors: corrupt safetensors header: tensor w has an invalid shape [-1]"],
    ["bad offsets", rawFile({ w: { dtype: "F32", shape: [1], data_offsets: [4, 0] } }, new Uint8Array(4)), "bad.safetensors: corrupt safetensors header: tensor w has invalid data_offsets [4,0]"],
    ["offsets that disagree with the shape", rawFile({ w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 12] } }, new Uint8Array(16)), "bad.safetensors: corrupt safetensors header: tensor w (F32 [2, 2]) needs 16 bytes but data_offsets span 12"],
    ["cut tensor data", rawFile({ w: f32(4) }, new Uint8Array(10)), "bad.safetensors: truncated safetensors file: tensor w needs data bytes 0–16 but the data section holds only 10"],
    ["overlapping tensors", rawFile({ a: f32(2), b: f32(2, 4) }, new Uint8Array(12)), "bad.safetensors: corrupt safetensors header: tensors a and b overlap"],
    ["non-string metadata", rawFile({ __metadata__: { epoch: 3 } }), 'bad.safetensors: corrupt safetensors header: metadata "epoch" is not a string'],
  ];
  it.each(cases)("refuses %s with one sentence", (_what, bytes, message) => {
    expect(() => decodeSafetensors(bytes, "bad.safetensors")).toThrow(new SafetensorsError(message));
  });

  it("names a missing file", () => {
    expect(() => readSafetensors(join(tmp, "nope.safetensors"))).toThrow(`${join(tmp, "nope.safetensors")}: cannot read the checkpoint: no such file`);
  });

  it("reads what it wrote through the file system", () => {
    const path = join(tmp, "a.safetensors");
    writeFileSync(path, encodeSafetensors(sample()));
    expect([...readSafetensors(path).tensors.keys()]).toHaveLength(5);
  });

  it("refuses to write what it could not read back", () => {
    expect(() => encodeSafetensors(new Map([["x", { dtype: "I32", shape: [1], data: new Float32Array(1) } as Tensor]]))).toThrow(
      "tensor x: Float32Array does not hold I32",
    );
    expect(() => encodeSafetensors(new Map([["x", { dtype: "F32", shape: [3], data: new Float32Array(2) } as Tensor]]))).toThrow(
      "tensor x: shape [3] holds 3 values, the data 2",
    );
  });
});
