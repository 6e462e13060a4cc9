// The training loop hands each step the batch that follows it (trainStep's `next`), so a model that
// overlaps uploads (CUDA --overlap-upload) sends it to the device during the step: every call's
// next is the very batch the following call trains on, and the last has none. Also from a resume
// point in mid-epoch.

import { describe, expect, it } from "vitest";
import { loadNetwork } from "../../compiler/pipeline.ts";
import { syntheticDataset } from "../../runtime/data/synthetic.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { BatchArrays, isCheckedBatch, packBatch } from "../../runtime/data/spike-batch.ts";
import { epochOrder } from "../../runtime/data/batches.ts";
import type { SnnModel } from "../../runtime/model/snn-model.ts";
import type { StepStats } from "../../runtime/model/step-stats.ts";
import { Trainer } from "../../runtime/train/trainer.ts";

const net = loadNetwork("models/tiny.json");

/** Records trainStep's batches; a finite loss and nothing else (the trainer adds stats up). */
function recorder(calls: { batch: SpikeBatch; next?: SpikeBatch }[]): SnnModel {
  const stats = { loss: 1, ce: 1, correct: 0, samples: 0, regrows: 0, layers: [] } as unknown as StepStats;
  return {
    network: net,
    batchCapacity: 8,
    trainStep(batch: SpikeBatch, _lr: number, next?: SpikeBatch) {
      calls.push({ batch, next });
      return { ...stats, samples: batch.batch };
    },
  } as unknown as SnnModel;
}

describe("Trainer.trainEpoch hands trainStep the next batch", () => {
  const shape = { inputs: net.input.size, classes: net.classes, steps: net.steps, seed: 3 };
  const data = { train: syntheticDataset({ ...shape, samples: 21 }), test: syntheticDataset({ ...shape, samples: 4, split: "test" }) };

  for (const from of [0, 8]) {
    it(`from sample ${from}`, async () => {
      const calls: { batch: SpikeBatch; next?: SpikeBatch }[] = [];
      const trainer = new Trainer(recorder(calls), { train: data.train, test: data.test, batch: 8, seed: 5, lr: 1e-3 });
      const run = await trainer.trainEpoch(0, { from, sum: trainer.newSum() });
      expect(run.complete).toBe(true);
      expect(calls.map((c) => c.batch.batch)).toEqual(from === 0 ? [8, 8, 5] : [8, 5]);
      calls.forEach((c, k) => {
        expect(isCheckedBatch(c.batch)).toBe(true);
        if (k + 1 < calls.length) expect(c.next).toBe(calls[k + 1].batch);
        else expect(c.next).toBeUndefined();
      });
    });
  }
});

// Training batches are packed into two sets of arrays in turn (spike-batch.ts BatchArrays): the
// batch a step takes and the next one it is handed must both hold their own samples until the
// step that takes the next one, and the arrays must really be reused.
describe("Trainer.trainEpoch packs its batches into two sets of arrays in turn", () => {
  const shape = { inputs: net.input.size, classes: net.classes, steps: net.steps, seed: 4 };
  const train = syntheticDataset({ ...shape, samples: 45 });
  const test = syntheticDataset({ ...shape, samples: 4, split: "test" });

  it("never changes a batch before the step that takes it, and reuses the arrays", async () => {
    const copy = (b: SpikeBatch) => ({ offsets: Array.from(b.offsets), indices: Array.from(b.indices), labels: Array.from(b.labels) });
    const calls: { batch: SpikeBatch; next?: SpikeBatch; seen: ReturnType<typeof copy>; seenNext?: ReturnType<typeof copy> }[] = [];
    const model = recorder([]);
    model.trainStep = ((batch: SpikeBatch, _lr: number, next?: SpikeBatch) => {
      // The batch it takes must be as it was when the step before was handed it as its next.
      if (calls.length) expect(copy(batch)).toEqual(calls[calls.length - 1].seenNext);
      calls.push({ batch, next, seen: copy(batch), seenNext: next && copy(next) });
      return { loss: 1, ce: 1, correct: 0, samples: batch.batch, regrows: 0, layers: [] } as unknown as StepStats;
    }) as SnnModel["trainStep"];
    const trainer = new Trainer(model, { train, test, batch: 8, seed: 5, lr: 1e-3 });
    for (const epoch of [0, 1]) {
      calls.length = 0;
      await trainer.trainEpoch(epoch, { sum: trainer.newSum() });
      // Each batch is exactly packBatch of its samples, in the epoch's order.
      const order = epochOrder(train.length, 5, epoch);
      calls.forEach((c, k) => {
        const fresh = packBatch(Array.from(order.subarray(8 * k, 8 * k + 8), (i) => train.get(i)), train.steps, train.inputs);
        expect(c.seen).toEqual(copy(fresh));
        expect(isCheckedBatch(c.batch)).toBe(true);
      });
      expect(calls.length).toBe(6);
      // Batches k and k + 2 share their arrays; k and k + 1 do not.
      for (let k = 0; k + 2 < calls.length; k++) {
        expect(calls[k].batch.indices.buffer).toBe(calls[k + 2].batch.indices.buffer);
        expect(calls[k].batch.indices.buffer).not.toBe(calls[k + 1].batch.indices.buffer);
      }
    }
  });

  it("packs into kept arrays exactly what it packs into fresh ones, growing them as needed", () => {
    const into = new BatchArrays();
    for (const [from, n] of [[0, 3], [3, 9], [12, 1], [13, 9]]) {
      const samples = Array.from({ length: n }, (_, k) => train.get(from + k));
      const fresh = packBatch(samples, train.steps, train.inputs);
      const kept = packBatch(samples, train.steps, train.inputs, into);
      expect(Array.from(kept.offsets)).toEqual(Array.from(fresh.offsets));
      expect(Array.from(kept.indices)).toEqual(Array.from(fresh.indices));
      expect(Array.from(kept.labels)).toEqual(Array.from(fresh.labels));
      expect(kept.offsets.buffer).toBe(into.offsets.buffer);
      expect(isCheckedBatch(kept)).toBe(true);
    }
  });
});
