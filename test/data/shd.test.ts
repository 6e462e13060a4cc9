import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/data-error.ts";
import { halfTable, halfToFloat, readRows, rowInfo } from "../../runtime/data/hdf5-rows.ts";
import { loadShd, readShdFile } from "../../runtime/data/shd.ts";
import { loadDataset } from "../../runtime/data/index.ts";

// h5wasm can write fixed-shape numeric datasets but not numeric variable-length ones, nor
// float16, so the fixtures use the 2-D padded layout (times padded with non-finite values) in
// float32. The variable-length decoding is checked on the vlen.h5 file that ships with h5wasm
// (written by h5py), and float16 decoding on bit patterns.

type H5Module = Awaited<typeof h5wasm.ready>;
let Module: H5Module;
const tmp = mkdtempSync(join(tmpdir(), "snnc-shd-"));
const FIXTURES = fileURLToPath(new URL("../fixtures/shd", import.meta.url));
beforeAll(async () => {
  Module = await h5wasm.ready;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Fixture {
  times?: { data: Float32Array; shape: number[] };
  units?: { data: Uint16Array | Int16Array; shape: number[] };
  labels?: Uint8Array | Int32Array;
}

function writeShd(file: string, fx: Fixture): void {
  const f = new h5wasm.File(file, "w");
  try {
    if (fx.times || fx.units) f.create_group("spikes");
    const spikes = f.get("spikes") as InstanceType<typeof h5wasm.Group> | null;
    if (fx.times) spikes!.create_dataset({ name: "times", data: fx.times.data, shape: fx.times.shape });
    if (fx.units) spikes!.create_dataset({ name: "units", data: fx.units.data, shape: fx.units.shape });
    if (fx.labels) f.create_dataset({ name: "labels", data: fx.labels });
  } finally {
    f.close();
  }
}

async function caught(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error("expected a DataError");
}

const OPTS = { binMs: 2, steps: 500 };

describe("SHD", () => {
  it("decodes padded 2-D spikes: 2 ms bins, clamped, non-finite and negative times dropped", async () => {
    const dir = mkdtempSync(join(tmp, "ok-"));
    writeShd(join(dir, "shd_train.h5"), {
      times: {
        data: Float32Array.from([
          0.0, 0.0019, 0.002, NaN, //        bins 0, 0, 1; padding
          0.999, 0.998, -0.001, Infinity, // bins 499, 499; negative and ∞ dropped
          NaN, NaN, NaN, NaN, //             empty sample
        ]),
        shape: [3, 4],
      },
      units: { data: Uint16Array.from([10, 10, 699, 0, 5, 3, 1, 2, 0, 0, 0, 0]), shape: [3, 4] },
      labels: Uint8Array.from([4, 0, 19]),
    });
    // Test split with signed units and int32 labels: 0.25 s → bin 125, 0.5 s → 250,
    // 1.5 s → 750 ≥ 500 dropped; NaN dropped.
    writeShd(join(dir, "shd_test.h5"), {
      times: { data: Float32Array.from([0.25, 0.5, 1.5, NaN]), shape: [2, 2] },
      units: { data: Int16Array.from([2, 1, 3, 4]), shape: [2, 2] },
      labels: Int32Array.from([0, 7]),
    });

    const { train, test, source } = await loadShd({ dir, ...OPTS });
    expect(train.length).toBe(3);
    expect([train.inputs, train.steps, train.classes]).toEqual([700, 500, 20]);
    expect(train.get(0)).toEqual({ times: Int32Array.from([0, 1]), units: Int32Array.from([10, 699]), label: 4 });
    expect(train.get(1)).toEqual({ times: Int32Array.from([499, 499]), units: Int32Array.from([3, 5]), label: 0 });
    expect(train.get(2)).toEqual({ times: new Int32Array(0), units: new Int32Array(0), label: 19 });
    expect(test.get(0)).toEqual({ times: Int32Array.from([125, 250]), units: Int32Array.from([2, 1]), label: 0 });
    expect(test.get(1)).toEqual({ times: new Int32Array(0), units: new Int32Array(0), label: 7 });
    expect(source).toBe(`SHD HDF5 files in ${dir} (3 train / 2 test)`);

    const viaIndex = await loadDataset("shd", { dir, binMs: 1, steps: 3 });
    // 1 ms bins, 3 steps: 0 → 0, 0.0019 → 1, 0.002 → 2 (float32 0.002 is 0.00200000009…).
    expect(viaIndex.train.get(0)).toEqual({ times: Int32Array.from([0, 1, 2]), units: Int32Array.from([10, 10, 699]), label: 4 });
  });

  it("names file and dataset when a dataset is missing or inconsistent", async () => {
    const file = join(tmp, "missing.h5");
    writeShd(file, { times: { data: Float32Array.from([0.1]), shape: [1, 1] }, labels: Uint8Array.from([1]) });
    expect((await caught(readShdFile(file, "x", OPTS))).message).toBe(`${file}: dataset spikes/units: missing`);

    const noSpikes = join(tmp, "nospikes.h5");
    writeShd(noSpikes, { labels: Uint8Array.from([1]) });
    expect((await caught(readShdFile(noSpikes, "x", OPTS))).message).toBe(`${noSpikes}: dataset spikes/times: missing`);

    const count = join(tmp, "count.h5");
    writeShd(count, {
      times: { data: Float32Array.from([0.1, 0.2]), shape: [2, 1] },
      units: { data: Uint16Array.from([1, 2]), shape: [2, 1] },
      labels: Uint8Array.from([1, 2, 3]),
    });
    expect((await caught(readShdFile(count, "x", OPTS))).message).toBe(`${count}: dataset spikes/times: has 2 samples but labels has 3`);

    const label = join(tmp, "label.h5");
    writeShd(label, {
      times: { data: Float32Array.from([0.1, 0.2]), shape: [2, 1] },
      units: { data: Uint16Array.from([1, 2]), shape: [2, 1] },
      labels: Uint8Array.from([1, 20]),
    });
    expect((await caught(readShdFile(label, "x", OPTS))).message).toBe(`${label}: dataset labels: sample 1: label 20 outside [0, 20)`);

    const unit = join(tmp, "unit.h5");
    writeShd(unit, {
      times: { data: Float32Array.from([0.1, 0.2]), shape: [1, 2] },
      units: { data: Uint16Array.from([1, 700]), shape: [1, 2] },
      labels: Uint8Array.from([1]),
    });
    expect((await caught(readShdFile(unit, "x", OPTS))).message).toBe(`${unit}: dataset spikes/units: sample 0, spike 1: unit 700 outside [0, 700)`);
  });

  it("says a file cut short is cut short, with both sizes, not unreadable (issue 26, item 13)", async () => {
    const whole = readFileSync(join(FIXTURES, "shd_test.h5"));
    const cut = join(tmp, "cut.h5");
    writeFileSync(cut, whole.subarray(0, 100_000));
    expect((await caught(readShdFile(cut, "x", OPTS))).message).toBe(
      `${cut}: an HDF5 file cut short: 100000 of its ${whole.length} bytes (an interrupted download or copy?)`,
    );
    writeFileSync(cut, whole.subarray(0, 20));
    expect((await caught(readShdFile(cut, "x", OPTS))).message).toBe(
      `${cut}: an HDF5 file cut short: it ends inside its superblock, after 20 bytes (an interrupted download or copy?)`,
    );
  });

  it("rejects corrupt, compressed and absent files", async () => {
    const bad = join(tmp, "bad.h5");
    writeFileSync(bad, "not an hdf5 file".repeat(64));
    expect((await caught(readShdFile(bad, "x", OPTS))).message).toBe(`${bad}: not a readable HDF5 file (file signature not found)`);

    const dir = mkdtempSync(join(tmp, "gz-"));
    writeFileSync(join(dir, "shd_train.h5.gz"), "x");
    expect((await caught(loadShd({ dir, ...OPTS }))).message).toBe(
      `${join(dir, "shd_train.h5.gz")}: is compressed; decompress it first (gunzip -k ${join(dir, "shd_train.h5")}.gz)`,
    );
    const empty = mkdtempSync(join(tmp, "empty-"));
    expect((await caught(loadShd({ dir: empty, ...OPTS }))).message).toBe(
      `${join(empty, "shd_train.h5")}: file not found; SHD needs shd_train.h5 and shd_test.h5 in --data`,
    );
    await expect(loadDataset("shd")).rejects.toThrow(/^SHD needs --data <dir> containing shd_train.h5 and shd_test.h5$/);
  });

  const vlenFile = fileURLToPath(new URL("../../node_modules/h5wasm/test/vlen.h5", import.meta.url));
  it.skipIf(!existsSync(vlenFile))("reads variable-length rows (h5py-written vlen.h5 from h5wasm)", () => {
    const f = new h5wasm.File(vlenFile, "r");
    try {
      const floats = f.get("float32_oneD") as InstanceType<typeof h5wasm.Dataset>;
      const info = rowInfo(floats);
      expect(info).toMatchObject({ layout: "vlen", rows: 3 });
      if (typeof info === "string") throw new Error(info);
      expect(readRows(Module, floats, info, 0, 3).map((r) => Array.from(r))).toEqual([[0], [0, 1], [0, 1, 2]]);
      const blobs = f.get("uint8_blobs") as InstanceType<typeof h5wasm.Dataset>;
      const binfo = rowInfo(blobs);
      if (typeof binfo === "string") throw new Error(binfo);
      // element i is [i, i+1, …, 2i]; read rows 5…6 only (a hyperslab)
      expect(readRows(Module, blobs, binfo, 5, 2).map((r) => Array.from(r))).toEqual([
        [5, 6, 7, 8, 9, 10],
        [6, 7, 8, 9, 10, 11, 12],
      ]);
    } finally {
      f.close();
    }
  });

  it("decodes IEEE half precision", () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0x3800)).toBe(0.5);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
    expect(halfToFloat(0x1419)).toBeCloseTo(0.0010004, 7);
  });

  it("decodes float16 data through a table of every 16-bit pattern, each entry halfToFloat's", () => {
    const table = halfTable();
    expect(table.length).toBe(0x10000);
    for (let h = 0; h < 0x10000; h++) if (!Object.is(table[h], halfToFloat(h))) expect([h, table[h]]).toEqual([h, halfToFloat(h)]);
    expect(Object.is(table[0x8000], -0)).toBe(true);
  });
});
