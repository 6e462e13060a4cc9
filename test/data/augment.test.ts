// augmentDataset as the trainer sees it: nothing to do gives null, a draw depends on (seed, epoch,
// index) and nothing else (a resumed run sees the same samples), epochs differ, fields that do not
// fit the data are refused, and the per-epoch view packs into batches.

import { describe, expect, it } from "vitest";
import { augmentDataset, augmentedEpoch } from "../../runtime/data/augment.ts";
import { epochBatches } from "../../runtime/data/batches.ts";
import { NMNIST_CHANNEL_INPUTS } from "../../runtime/data/nmnist.ts";
import { packBatch } from "../../runtime/data/spike-batch.ts";
import { expectWellFormed, randomEvents, sameEvents } from "./augment-support.ts";

const nmnist = randomEvents("nmnist-like", NMNIST_CHANNEL_INPUTS, 40, 32, 300, 1);
const shd = randomEvents("shd-like", 700, 50, 32, 300, 2);

describe("augmentDataset", () => {
  it("returns null when the spec asks for nothing", () => {
    expect(augmentDataset(nmnist, {}, 1)).toBeNull();
    expect(augmentDataset(nmnist, undefined, 1)).toBeNull();
    expect(augmentDataset(nmnist, { jitter: 0, drop: 0 }, 1)).toBeNull();
    expect(augmentDataset(shd, { channel_shift: 0 }, 1)).toBeNull();
    expect(augmentDataset(shd, { translate: 0, flip: false }, 1)).toBeNull();
    expect(augmentDataset(shd, { channel_shift: 3 }, 1)).not.toBeNull();
  });

  it("draws each (seed, epoch, index) the same way, in any order and from a fresh object", () => {
    const spec = { jitter: 2, drop: 0.2 };
    const a = augmentDataset(nmnist, spec, 7)!;
    expect(a.base).toBe(nmnist);
    const forward = Array.from({ length: 32 }, (_, i) => a.sample(i, 3));
    // A resumed run: a new augmenter, samples asked for in another order, other epochs in between.
    const b = augmentDataset(nmnist, spec, 7)!;
    b.sample(0, 0);
    for (let i = 31; i >= 0; i--) expect(sameEvents(b.sample(i, 3), forward[i])).toBe(true);
    for (const s of forward) expectWellFormed(s, nmnist.steps, nmnist.inputs);
  });

  it("draws anew in another epoch and under another seed", () => {
    const a = augmentDataset(shd, { channel_shift: 5, drop: 0.1 }, 7)!;
    const b = augmentDataset(shd, { channel_shift: 5, drop: 0.1 }, 8)!;
    let epochDiffers = 0;
    let seedDiffers = 0;
    for (let i = 0; i < 32; i++) {
      const s = a.sample(i, 0);
      if (!sameEvents(s, a.sample(i, 1))) epochDiffers++;
      if (!sameEvents(s, b.sample(i, 0))) seedDiffers++;
    }
    // Every draw includes ~30 independent drops; two equal draws would be a broken stream.
    expect(epochDiffers).toBe(32);
    expect(seedDiffers).toBe(32);
  });

  it("refuses fields that do not fit the data, and values out of range", () => {
    expect(() => augmentDataset(shd, { translate: 2 }, 1)).toThrow(TypeError);
    expect(() => augmentDataset(shd, { flip: true }, 1)).toThrow(/not an image dataset/);
    expect(() => augmentDataset(shd, { jitter: 1 }, 1)).toThrow(/34×34 sensor; shd-like has 700 inputs/);
    expect(() => augmentDataset(nmnist, { jitter: 1, channel_shift: 1 }, 1)).toThrow(TypeError);
    expect(() => augmentDataset(shd, { drop: 1 }, 1)).toThrow(RangeError);
    expect(() => augmentDataset(shd, { drop: -0.1 }, 1)).toThrow(RangeError);
    expect(() => augmentDataset(shd, { channel_shift: 1.5 }, 1)).toThrow(RangeError);
    const a = augmentDataset(shd, { drop: 0.5 }, 1)!;
    expect(() => a.sample(0, -1)).toThrow(RangeError);
    expect(() => a.sample(32, 0)).toThrow(RangeError);
  });

  it("gives one epoch as a SpikeDataset that epochBatches packs", () => {
    const a = augmentDataset(nmnist, { jitter: 3, drop: 0.3 }, 11)!;
    const view = augmentedEpoch(a, 4);
    expect([view.length, view.inputs, view.steps, view.classes, view.name]).toEqual([32, nmnist.inputs, 40, 10, nmnist.name]);
    const batches = [...epochBatches(view, 8, 11, 4, { shuffle: false })];
    expect(batches.length).toBe(4);
    const direct = packBatch(Array.from({ length: 8 }, (_, i) => a.sample(8 + i, 4)), 40, nmnist.inputs);
    expect(batches[1].indices).toEqual(direct.indices);
    expect(batches[1].offsets).toEqual(direct.offsets);
    // Augmentation thinned the events (drop 0.3), it did not add any.
    const before = packBatch(Array.from({ length: 8 }, (_, i) => nmnist.get(8 + i)), 40, nmnist.inputs);
    expect(direct.indices.length).toBeLessThan(before.indices.length);
  });
});
