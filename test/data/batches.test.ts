import { describe, expect, it } from "vitest";
import { batchCount, epochBatches, epochOrder, mixSeed } from "../../runtime/data/batches.ts";
import type { SpikeBatch, SpikeDataset, SpikeSample } from "../../runtime/data/spike-batch.ts";

/** Sample i: one spike of unit i at step i mod 4, plus unit 0 at step 3; label i mod 3. */
function fakeDataset(n: number): SpikeDataset {
  return {
    name: "fake",
    length: n,
    inputs: n,
    steps: 4,
    classes: 3,
    get(i: number): SpikeSample {
      const t = i % 4;
      const spikes: [number, number][] = [[t, i], [3, 0]];
      spikes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      return { times: Int32Array.from(spikes, (s) => s[0]), units: Int32Array.from(spikes, (s) => s[1]), label: i % 3 };
    },
  };
}

/** Recover sample indices from a batch: the unit that fired at step i mod 4 (unit i). */
function indicesOf(batch: SpikeBatch): number[] {
  const out: number[] = [];
  for (let b = 0; b < batch.batch; b++) {
    for (let t = 0; t < batch.steps; t++) {
      for (let k = batch.offsets[b * batch.steps + t]; k < batch.offsets[b * batch.steps + t + 1]; k++) {
        const u = batch.indices[k];
        if (u % 4 === t && (u !== 0 || t === 0)) out.push(u);
      }
    }
  }
  return out;
}

const order = (ds: SpikeDataset, bs: number, seed: number, epoch: number, opts = {}) =>
  [...epochBatches(ds, bs, seed, epoch, opts)].flatMap(indicesOf);

describe("epochBatches", () => {
  const ds = fakeDataset(10);

  it("visits every sample exactly once per epoch, last batch smaller", () => {
    const batches = [...epochBatches(ds, 3, 42, 0)];
    expect(batches.map((b) => b.batch)).toEqual([3, 3, 3, 1]);
    const seen = batches.flatMap(indicesOf);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Labels travel with their samples.
    expect(batches.flatMap((b) => Array.from(b.labels))).toEqual(seen.map((i) => i % 3));
  });

  it("has a fixed order for (seed, epoch) that changes with either", () => {
    // Pinned: the same order on every machine, so runs and resumed runs agree.
    expect(Array.from(epochOrder(10, 42, 0))).toEqual([5, 7, 0, 9, 4, 1, 6, 2, 8, 3]);
    expect(order(ds, 3, 42, 0)).toEqual([5, 7, 0, 9, 4, 1, 6, 2, 8, 3]);
    expect(order(ds, 4, 42, 0)).toEqual([5, 7, 0, 9, 4, 1, 6, 2, 8, 3]); // batch size does not change the order
    expect(order(ds, 3, 42, 1)).toEqual([2, 3, 7, 5, 0, 1, 4, 8, 9, 6]);
    expect(order(ds, 3, 43, 0)).toEqual([5, 2, 7, 0, 6, 4, 1, 3, 9, 8]);
    // Resuming at epoch 1 in a fresh call reproduces epoch 1 of a continuous run.
    const continuous = [0, 1, 2].map((e) => order(ds, 3, 42, e));
    expect(order(ds, 3, 42, 1)).toEqual(continuous[1]);
    expect(continuous[2]).not.toEqual(continuous[1]);
  });

  it("packs batches exactly (CSR per sample and step)", () => {
    const [first] = epochBatches(ds, 2, 0, 0, { shuffle: false });
    // samples 0 and 1: sample 0 = units {0 at t0, 0 at t3}; sample 1 = {1 at t1, 0 at t3}
    expect(Array.from(first.offsets)).toEqual([0, 1, 1, 1, 2, 2, 3, 3, 4]);
    expect(Array.from(first.indices)).toEqual([0, 0, 1, 0]);
    expect(Array.from(first.labels)).toEqual([0, 1]);
    expect([first.batch, first.steps, first.inputs]).toEqual([2, 4, 10]);
  });

  it("dropLast skips the short batch; shuffle false keeps dataset order", () => {
    expect([...epochBatches(ds, 3, 1, 0, { dropLast: true })].map((b) => b.batch)).toEqual([3, 3, 3]);
    expect(order(ds, 3, 1, 5, { shuffle: false })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batchCount(ds, 3)).toBe(4);
    expect(batchCount(ds, 3, { dropLast: true })).toBe(3);
    expect(batchCount(10, 5)).toBe(2);
    expect(batchCount(ds, 4, { limit: 6 })).toBe(2);
    expect(batchCount(ds, 4, { limit: 6, dropLast: true })).toBe(1);
  });

  it("limit takes a fixed seeded subset, the same in every epoch", () => {
    expect(order(ds, 3, 42, 0, { limit: 4, shuffle: false })).toEqual([0, 2, 3, 7]);
    const subsets = [0, 1, 2, 3].map((e) => order(ds, 3, 42, e, { limit: 4 }));
    for (const s of subsets) expect([...s].sort((a, b) => a - b)).toEqual([0, 2, 3, 7]);
    expect(new Set(subsets.map((s) => s.join(","))).size).toBeGreaterThan(1); // still shuffled per epoch
    expect(order(ds, 3, 42, 0, { limit: 100 }).length).toBe(10);
    expect([...epochBatches(ds, 3, 42, 0, { limit: 0 })]).toEqual([]);
  });

  it("rejects bad arguments", () => {
    expect(() => [...epochBatches(ds, 0, 1, 0)]).toThrow("batch size must be a positive integer, got 0");
    expect(() => [...epochBatches(ds, 2, 1, -1)]).toThrow("epoch must be a non-negative integer, got -1");
    expect(() => [...epochBatches(ds, 2, 1, 0, { limit: -3 })]).toThrow("limit must be a non-negative integer, got -3");
  });

  it("mixSeed separates nearby inputs", () => {
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(mixSeed(7)).not.toBe(mixSeed(7, 0));
  });
});
