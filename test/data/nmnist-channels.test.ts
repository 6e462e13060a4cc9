// N-MNIST with the two polarities as channels ([2, 34, 34]): the loader puts OFF events (polarity
// bit 0) in channel 0 and ON events (bit 1) in channel 1, on small fixture files in the real .bin
// layout; a network spec with that input shape gets that form from loadNetworkData.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeNmnist, loadNmnist } from "../../runtime/data/nmnist.ts";
import { loadNetworkData } from "../../runtime/train/data.ts";
import { networkOf } from "../support/build-model.ts";

const tmp = mkdtempSync(join(tmpdir(), "snnc-nmnist-ch-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One 5-byte N-MNIST event: x, y, polarity (bit 7) | t[22:16], t[15:8], t[7:0]. */
function ev(x: number, y: number, pol: 0 | 1, tUs: number): number[] {
  return [x, y, (pol << 7) | ((tUs >> 16) & 0x7f), (tUs >> 8) & 0xff, tUs & 0xff];
}

function write(file: string, bytes: number[]): void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, Uint8Array.from(bytes));
}

const EVENTS = [
  ev(0, 0, 1, 0), //            ON, bin 0: channel 1, unit 1156 + 0
  ev(33, 33, 0, 999), //        OFF, bin 0: channel 0, unit 1155
  ev(5, 2, 1, 1000), //         ON, bin 1: 1156 + 73 = 1229
  ev(5, 2, 0, 1500), //         OFF at the same (bin, pixel): kept, channel 0, unit 73
  ev(5, 2, 0, 1700), //         OFF again in that bin: clamped away
  ev(4, 4, 1, 131072 + 500), // ON, t[22:16] = 2 shares byte 2 with the polarity bit (0x82): bin 131, 1156 + 140 = 1296
  ev(2, 1, 1, 300_000), //      bin 300 ≥ steps: dropped
];

describe("N-MNIST with polarity channels", () => {
  it("puts OFF events in channel 0 and ON events in channel 1, clamped per (bin, channel, pixel)", () => {
    const s = decodeNmnist("x.bin", Uint8Array.from(EVENTS.flat()), 4, { binMs: 1, steps: 300, polarityChannels: true });
    expect(Array.from(s.times)).toEqual([0, 0, 1, 1, 131]);
    expect(Array.from(s.units)).toEqual([1155, 1156, 73, 1229, 1296]);
    expect(s.label).toBe(4);
    // The same file merged: the OFF and ON events at (5, 2) in bin 1 become one spike.
    const merged = decodeNmnist("x.bin", Uint8Array.from(EVENTS.flat()), 4, { binMs: 1, steps: 300 });
    expect(Array.from(merged.times)).toEqual([0, 0, 1, 131]);
    expect(Array.from(merged.units)).toEqual([0, 1155, 73, 140]);
  });

  it("loads a directory tree with 2312 inputs and says so in its source", () => {
    const dir = mkdtempSync(join(tmp, "tree-"));
    write(join(dir, "Train", "7", "00001.bin"), EVENTS.flat());
    write(join(dir, "Test", "2", "00001.bin"), [...ev(1, 1, 0, 5000), ...ev(1, 1, 1, 5000)]);
    const { train, test, source } = loadNmnist({ dir, binMs: 1, steps: 300, polarityChannels: true, cacheBytes: 0 });
    expect([train.inputs, test.inputs]).toEqual([2312, 2312]);
    expect(Array.from(train.get(0).units)).toEqual([1155, 1156, 73, 1229, 1296]);
    expect(test.get(0)).toEqual({ times: Int32Array.from([5, 5]), units: Int32Array.from([35, 1156 + 35]), label: 2 });
    expect(source).toBe(`N-MNIST .bin files in ${dir} (1 train / 1 test, polarities as channels OFF, ON)`);
  });

  it("feeds a [2, 34, 34] network the channel form and a [1156] network the merged form", async () => {
    const dir = mkdtempSync(join(tmp, "net-"));
    write(join(dir, "Train", "7", "00001.bin"), EVENTS.flat());
    write(join(dir, "Test", "2", "00001.bin"), ev(1, 1, 1, 5000));
    const channels = await loadNetworkData(networkOf("models/nmnist-conv.json"), { dir });
    expect(channels.train.inputs).toBe(2312);
    expect(Array.from(channels.test.get(0).units)).toEqual([1156 + 35]);
    const merged = await loadNetworkData(networkOf("models/nmnist.json"), { dir });
    expect(merged.train.inputs).toBe(1156);
    expect(Array.from(merged.test.get(0).units)).toEqual([35]);
  });
});
