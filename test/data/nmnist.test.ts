import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/data-error.ts";
import { decodeNmnist, loadNmnist } from "../../runtime/data/nmnist.ts";
import { loadDataset } from "../../runtime/data/index.ts";
import { caught } from "./caught.ts";

const tmp = mkdtempSync(join(tmpdir(), "snnc-nmnist-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One 5-byte N-MNIST event. */
function ev(x: number, y: number, pol: 0 | 1, tUs: number): number[] {
  return [x, y, (pol << 7) | ((tUs >> 16) & 0x7f), (tUs >> 8) & 0xff, tUs & 0xff];
}

const EVENTS = [
  ev(0, 0, 1, 0), //           bin 0, unit 0
  ev(33, 33, 0, 999), //       bin 0, unit 33·34 + 33 = 1155
  ev(5, 2, 1, 1000), //        bin 1, unit 2·34 + 5 = 73
  ev(5, 2, 0, 1500), //        same (bin, unit), other polarity: clamped away
  ev(1, 0, 0, 65536 + 2000), // t[22:16] = 1: bin 67, unit 1
  ev(4, 4, 1, 131072 + 500), // polarity bit and t[22:16] = 2 share byte 2 (0x82): bin 131, unit 140
  ev(2, 1, 1, 299_999), //     bin 299 (last kept), unit 36
  ev(2, 1, 1, 300_000), //     bin 300 ≥ steps: dropped
  ev(7, 7, 1, 0x7fffff), //    largest time: dropped
];

function write(file: string, bytes: number[]): void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, Uint8Array.from(bytes));
}


describe("N-MNIST", () => {
  it("decodes events exactly: merged polarity, 23-bit time, 1 ms bins, clamped, first 300 bins", () => {
    const s = decodeNmnist("x.bin", Uint8Array.from(EVENTS.flat()), 3, { binMs: 1, steps: 300 });
    expect(Array.from(s.times)).toEqual([0, 0, 1, 67, 131, 299]);
    expect(Array.from(s.units)).toEqual([0, 1155, 73, 1, 140, 36]);
    expect(s.label).toBe(3);
  });

  it("bins by binMs", () => {
    const s = decodeNmnist("x.bin", Uint8Array.from(EVENTS.flat()), 0, { binMs: 2, steps: 100 });
    // bins: 0, 0, 0, 0 (t = 1500 → 0, same unit 73 as t = 1000), 33, 65; 149 and later ≥ 100
    expect(Array.from(s.times)).toEqual([0, 0, 0, 33, 65]);
    expect(Array.from(s.units)).toEqual([0, 73, 1155, 1, 140]);
  });

  it("loads the directory tree in digit then file-name order, lazily", () => {
    const dir = mkdtempSync(join(tmp, "tree-"));
    write(join(dir, "Train", "3", "00001.bin"), EVENTS.flat());
    write(join(dir, "Train", "0", "00002.bin"), ev(1, 1, 0, 5000));
    write(join(dir, "Train", "0", "00001.bin"), ev(2, 2, 1, 7000));
    write(join(dir, "Train", "0", "notes.txt"), [1, 2, 3]);
    write(join(dir, "Test", "9", "00001.bin"), []);
    const { train, test, source } = loadNmnist({ dir, binMs: 1, steps: 300, cacheBytes: 0 });
    expect(train.length).toBe(3);
    expect(Array.from(train.labels)).toEqual([0, 0, 3]);
    expect(train.files.map((f) => f.slice(dir.length + 1))).toEqual([
      join("Train", "0", "00001.bin"),
      join("Train", "0", "00002.bin"),
      join("Train", "3", "00001.bin"),
    ]);
    expect(train.get(0)).toEqual({ times: Int32Array.from([7]), units: Int32Array.from([70]), label: 0 });
    expect(train.get(1)).toEqual({ times: Int32Array.from([5]), units: Int32Array.from([35]), label: 0 });
    expect(Array.from(train.get(2).units)).toEqual([0, 1155, 73, 1, 140, 36]);
    expect([train.inputs, train.steps, train.classes]).toEqual([1156, 300, 10]);
    expect(test.get(0)).toEqual({ times: new Int32Array(0), units: new Int32Array(0), label: 9 });
    expect(source).toBe(`N-MNIST .bin files in ${dir} (3 train / 1 test)`);
  });

  it("reads files of any size into one reused buffer without carrying bytes over (70 000 files an epoch)", () => {
    const dir = mkdtempSync(join(tmp, "sizes-"));
    // 20 000 events (100 kB) outgrow the reader's first 64 KiB; the small files after it must see
    // only their own bytes, and the big sample must not change when later files are read.
    const big = Array.from({ length: 20_000 }, (_, k) => ev(k % 34, (k * 7) % 34, 0, (k * 13) % 300_000));
    write(join(dir, "Train", "0", "00001.bin"), big.flat());
    write(join(dir, "Train", "0", "00002.bin"), ev(2, 2, 1, 7000));
    write(join(dir, "Train", "0", "00003.bin"), []);
    write(join(dir, "Test", "0", "00001.bin"), []);
    const { train } = loadNmnist({ dir, binMs: 1, steps: 300, cacheBytes: 0 });
    const first = train.get(0);
    const want = decodeNmnist("big", Uint8Array.from(big.flat()), 0, { binMs: 1, steps: 300 });
    expect(first).toEqual(want);
    expect(first.times.length).toBeGreaterThan(8000);
    expect(train.get(1)).toEqual({ times: Int32Array.from([7]), units: Int32Array.from([70]), label: 0 });
    expect(train.get(2)).toEqual({ times: new Int32Array(0), units: new Int32Array(0), label: 0 });
    expect(train.get(0)).toEqual(want);
    expect(first).toEqual(want);
  });

  it("names a file that went missing after loading", () => {
    const dir = mkdtempSync(join(tmp, "gone-"));
    write(join(dir, "Train", "1", "00001.bin"), ev(1, 1, 0, 10));
    write(join(dir, "Test", "1", "00001.bin"), ev(1, 1, 0, 10));
    const { train } = loadNmnist({ dir, binMs: 1, steps: 300 });
    rmSync(join(dir, "Train", "1", "00001.bin"));
    expect(caught(() => train.get(0)).message).toBe(`${join(dir, "Train", "1", "00001.bin")}: cannot read file (ENOENT)`);
  });

  it("rejects a file whose length is not a multiple of 5, with the byte offset", () => {
    const cut = [...ev(1, 1, 0, 10), ...ev(2, 2, 0, 20), 9];
    expect(caught(() => decodeNmnist("d/c.bin", Uint8Array.from(cut), 0, { binMs: 1, steps: 300 })).message).toBe(
      "d/c.bin: byte 10: file length 11 is not a multiple of 5 (a 5-byte event is cut off)",
    );
  });

  it("finds a cut file in either split when loading, before any sample is read (issue 13, item 7)", () => {
    for (const split of ["Train", "Test"]) {
      const dir = mkdtempSync(join(tmp, "cut-"));
      write(join(dir, "Train", "1", "00001.bin"), ev(1, 1, 0, 10));
      write(join(dir, "Test", "1", "00001.bin"), ev(1, 1, 0, 10));
      const file = join(dir, split, "2", "00001.bin");
      write(file, [...ev(1, 1, 0, 10), ...ev(2, 2, 0, 20), 9]);
      expect(caught(() => loadNmnist({ dir, binMs: 1, steps: 300 })).message).toBe(
        `${file}: byte 10: file length 11 is not a multiple of 5 (a 5-byte event is cut off)`,
      );
    }
  });

  it("rejects coordinates outside the 34×34 sensor, with the byte offset", () => {
    const bytes = Uint8Array.from([...ev(1, 1, 0, 10), ...ev(34, 0, 0, 20)]);
    expect(caught(() => decodeNmnist("d/a.bin", bytes, 0, { binMs: 1, steps: 300 })).message).toBe(
      "d/a.bin: byte 5: event 1: (x, y) = (34, 0) outside the 34×34 sensor",
    );
    const bytesY = Uint8Array.from([...ev(0, 200, 1, 10)]);
    expect(caught(() => decodeNmnist("d/b.bin", bytesY, 0, { binMs: 1, steps: 300 })).message).toBe(
      "d/b.bin: byte 0: event 0: (x, y) = (0, 200) outside the 34×34 sensor",
    );
  });

  it("says what is missing", async () => {
    await expect(loadDataset("nmnist", {})).rejects.toThrow(/^N-MNIST needs --data <dir> containing Train\/ and Test\/$/);
    const dir = mkdtempSync(join(tmp, "half-"));
    write(join(dir, "Train", "1", "00001.bin"), ev(1, 1, 0, 10));
    expect(caught(() => loadNmnist({ dir, binMs: 1, steps: 300 })).message).toBe(
      `${join(dir, "Test")}: directory not found; N-MNIST needs Test/<digit>/*.bin (and Train/) under --data`,
    );
    mkdirSync(join(dir, "Test", "4"), { recursive: true });
    expect(caught(() => loadNmnist({ dir, binMs: 1, steps: 300 })).message).toBe(
      `${join(dir, "Test")}: no .bin files in Test/0 … Test/9`,
    );
  });
});
