// The training loop hands each step the batch that follows it (trainStep's `next`), so a model that
// overlaps uploads (CUDA --overlap-upload) sends it to the device during the step: every call's
// next is the very batch the following call trains on, and the last has none. Also from a resume
// point in mid-epoch.

import { describe, expect, it } from "vitest";
import { loadNetwork } from "../../compiler/pipeline.ts";
import { syntheticDataset } from "../../runtime/data/synthetic.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { isCheckedBatch } from "../../runtime/data/spike-batch.ts";
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
