// Event indices are checked once, where the data enters the runtime (the loaders, then packBatch),
// not on every step: a batch from packBatch is marked checked and the addon skips its walk over
// every event; a batch built by hand is still walked (an index out of range would read outside the
// weights) and a bad one still gets its one-sentence error; a corrupt data file still fails where
// it is read. The addon's indexChecks() counter shows which loads were walked.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Network } from "../../compiler/ir/types.ts";
import { spikingLayers } from "../../compiler/ir/layers.ts";
import { activeEntries } from "../../compiler/layers/lif-stage.ts";
import { sliceBatch } from "../../runtime/bench/synthetic-batch.ts";
import { epochBatches } from "../../runtime/data/batches.ts";
import { DataError } from "../../runtime/data/data-error.ts";
import { loadNmnist } from "../../runtime/data/nmnist.ts";
import { isCheckedBatch, packBatch, type SpikeBatch, type SpikeSample } from "../../runtime/data/spike-batch.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { buildModel } from "../support/build-model.ts";

let net: Network;
let addon: NativeAddon;
beforeAll(async () => {
  ({ net, addon } = await buildModel("models/tiny.json", "cpu"));
}, 300_000);

/** `batch` samples of a few spikes each, at distinct (step, unit). */
function samples(batch: number, seed: number): SpikeSample[] {
  return Array.from({ length: batch }, (_, b) => {
    const n = 20;
    const times = Int32Array.from({ length: n }, (_, k) => Math.floor((k * net.steps) / n));
    const units = Int32Array.from({ length: n }, (_, k) => (seed * 31 + b * 7 + k * 13) % net.input.size);
    return { times, units, label: (b + seed) % net.classes };
  });
}

/** The same batch as a plain object with copied arrays: what a user builds by hand. */
const byHand = (b: SpikeBatch): SpikeBatch => ({ ...b, offsets: b.offsets.slice(), indices: b.indices.slice(), labels: b.labels.slice() });

describe("event indices are checked where the data enters, not on every step", () => {
  it("packBatch marks its batches checked; a copy, a spread or a hand-built batch is not", () => {
    const packed = packBatch(samples(4, 1), net.steps, net.input.size);
    expect(isCheckedBatch(packed)).toBe(true);
    expect(isCheckedBatch({ ...packed })).toBe(false);
    expect(isCheckedBatch(byHand(packed))).toBe(false);
    // Cut from a checked batch without changing an index: still checked.
    expect(isCheckedBatch(sliceBatch(packed, 2))).toBe(true);
  });

  it("the addon walks the events of an unchecked batch only", () => {
    const model = new SnnModel(net, addon, { batch: 4 });
    const packed = packBatch(samples(4, 2), net.steps, net.input.size);
    const fromPacked = model.forward(packed);
    expect(model.indexChecks()).toBe(0);
    model.trainStep(packed);
    model.forward(sliceBatch(packed, 3));
    expect(model.indexChecks()).toBe(0);
    // The same events built by hand: walked, and the same result.
    const fromHand = model.trainStep(byHand(packed));
    expect(model.indexChecks()).toBe(1);
    expect(model.forward(byHand(packed)).loss).toBeCloseTo(model.forward(packed).loss, 12);
    expect(model.indexChecks()).toBe(2);
    expect(Number.isFinite(fromPacked.loss) && Number.isFinite(fromHand.loss)).toBe(true);
    model.dispose();
  });

  it("a hand-built batch with an index out of range still gets the one-sentence error", () => {
    const model = new SnnModel(net, addon, { batch: 4 });
    const bad = byHand(packBatch(samples(2, 3), net.steps, net.input.size));
    bad.indices[5] = net.input.size;
    expect(() => model.forward(bad)).toThrow(new RangeError(`input index ${net.input.size} at event 5 is not below ${net.input.size}`));
    expect(() => model.trainStep(bad)).toThrow(/^input index \d+ at event 5 is not below \d+$/);
    model.dispose();
  });

  it("packBatch refuses a unit out of range where it packs (before any model sees it)", () => {
    const s = samples(1, 4);
    s[0].units[3] = net.input.size;
    expect(() => packBatch(s, net.steps, net.input.size)).toThrow(`input unit ${net.input.size} out of range [0, ${net.input.size})`);
  });

  it("trainStep's next batch: ignored by a model without overlapUpload; the addon's own next loads it as loadBatch would", () => {
    const a = packBatch(samples(4, 5), net.steps, net.input.size);
    const b = packBatch(samples(3, 6), net.steps, net.input.size);
    const plain = new SnnModel(net, addon, { batch: 4, seed: 1 });
    const handed = new SnnModel(net, addon, { batch: 4, seed: 1 });
    expect(handed.overlapsUpload).toBe(false);
    const s1 = plain.trainStep(a);
    const t1 = handed.trainStep(a, undefined, b);
    const s2 = plain.trainStep(b);
    const t2 = handed.trainStep(b);
    expect([t1.loss, t2.loss]).toEqual([s1.loss, s2.loss]);
    plain.dispose();
    handed.dispose();

    // The addon: trainStep(…, next) = trainStep(…) then loadBatch(next); a bad next changes nothing.
    const room = spikingLayers(net).map((l) => activeEntries(net.training.activeCapacity, net.steps, l.nOut));
    const opts = { batch: 4, backward: "sparse" as const, recordV: false, activeEntries: room };
    const one = new addon.Model(opts);
    const two = new addon.Model(opts);
    for (const m of [one, two]) m.loadBatch(a.offsets, a.indices, a.labels, true);
    const bad = byHand(b);
    bad.labels[0] = net.classes;
    expect(() => two.trainStep(1e-3, 1e-8, 1, bad.offsets, bad.indices, bad.labels, false)).toThrow(/^label \d+ of sample 0 is not a class in \[0, \d+\)$/);
    one.trainStep(1e-3, 1e-8, 1);
    two.trainStep(1e-3, 1e-8, 1, b.offsets, b.indices, b.labels, true);
    one.loadBatch(b.offsets, b.indices, b.labels, true);
    expect(Array.from(two.forward())).toEqual(Array.from(one.forward()));
    one.dispose();
    two.dispose();
  });
});

describe("a corrupt data file still fails where it is read", () => {
  const dir = mkdtempSync(join(tmpdir(), "snnc-checked-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ev = (x: number, y: number, tUs: number) => [x, y, (tUs >> 16) & 0x7f, (tUs >> 8) & 0xff, tUs & 0xff];

  it("an N-MNIST event outside the sensor is a DataError naming the file, before any batch is packed", () => {
    for (const [split, digit, bytes] of [
      ["Train", "0", [...ev(1, 1, 10)]],
      ["Train", "1", [...ev(1, 1, 10), ...ev(40, 2, 20)]],
      ["Test", "0", [...ev(2, 2, 10)]],
    ] as const) {
      mkdirSync(join(dir, split, digit), { recursive: true });
      writeFileSync(join(dir, split, digit, "a.bin"), Uint8Array.from(bytes));
    }
    const data = loadNmnist({ dir, binMs: 1, steps: 300 });
    let error: unknown;
    try {
      for (const batch of epochBatches(data.train, 2, 1, 0)) expect(batch).toBeUndefined();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(`${join(dir, "Train", "1", "a.bin")}: byte 5: event 1: (x, y) = (40, 2) outside the 34×34 sensor`);
  });
});
