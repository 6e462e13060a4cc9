// The test and validation batches are packed once per run and evaluated again from memory
// (runtime/train/eval-batches.ts), while they fit a budget: later evaluations read no sample and
// see the same batches; a split over the budget is packed anew each time and holds nothing.

import { describe, expect, it } from "vitest";
import { loadNetwork } from "../../compiler/pipeline.ts";
import { syntheticDataset } from "../../runtime/data/synthetic.ts";
import { packBatch, type SpikeBatch, type SpikeDataset } from "../../runtime/data/spike-batch.ts";
import type { SnnModel } from "../../runtime/model/snn-model.ts";
import type { StepStats } from "../../runtime/model/step-stats.ts";
import { EvalBatches } from "../../runtime/train/eval-batches.ts";
import { Trainer } from "../../runtime/train/trainer.ts";

const net = loadNetwork("models/tiny.json");
const shape = { inputs: net.input.size, classes: net.classes, steps: net.steps, seed: 3 };

/** A dataset that counts the samples read from it. */
function counted(d: SpikeDataset): SpikeDataset & { reads: number } {
  const c = { ...d, reads: 0, length: d.length, get: (i: number) => (c.reads++, d.get(i)) };
  return c;
}

const bytes = (b: SpikeBatch) => b.offsets.byteLength + b.indices.byteLength + b.labels.byteLength;

describe("EvalBatches", () => {
  const data = syntheticDataset({ ...shape, samples: 12, split: "test" });
  const batchOf = (k: number) => packBatch([data.get(2 * k), data.get(2 * k + 1)], data.steps, data.inputs);

  it("keeps a split that fits and hands back the same batches without packing them again", () => {
    const kept = new EvalBatches(1 << 20);
    let made = 0;
    const first = [0, 1, 2].map((k) => kept.get("test", k, () => (made++, batchOf(k))));
    const again = [0, 1, 2].map((k) => kept.get("test", k, () => (made++, batchOf(k))));
    expect(made).toBe(3);
    again.forEach((b, k) => expect(b).toBe(first[k]));
    expect(kept.heldBytes).toBe(first.reduce((a, b) => a + bytes(b!), 0));
  });

  it("packs a split over the budget every time and lets go of what it had kept of it", () => {
    const one = bytes(batchOf(0));
    const kept = new EvalBatches(Math.floor(2.5 * one));
    let made = 0;
    for (let pass = 0; pass < 2; pass++) for (let k = 0; k < 4; k++) kept.get("val", k, () => (made++, batchOf(k)));
    expect(made).toBe(8);
    expect(kept.heldBytes).toBe(0);
  });
});

describe("Trainer.evaluate", () => {
  it("reads the test samples once over several evaluations, with the same batches and results", async () => {
    const test = counted(syntheticDataset({ ...shape, samples: 10, split: "test" }));
    const seen: SpikeBatch[][] = [];
    const model = {
      network: net,
      batchCapacity: 4,
      forward(batch: SpikeBatch) {
        seen[seen.length - 1].push(batch);
        // A result that depends on the batch's events, so equal results mean equal inputs.
        const loss = batch.indices.reduce((a, i) => a + i, 0) / (1 + batch.indices.length);
        return { loss, ce: loss, correct: batch.labels[0] === 0 ? 1 : 0, samples: batch.batch, regrows: 0, layers: [] } as unknown as StepStats;
      },
    } as unknown as SnnModel;
    const train = syntheticDataset({ ...shape, samples: 4 });
    const trainer = new Trainer(model, { train, test, batch: 4, seed: 0, lr: 1e-3 });
    const results = [];
    for (let k = 0; k < 3; k++) {
      seen.push([]);
      results.push(await trainer.evaluate());
    }
    expect(test.reads).toBe(10);
    expect(seen.map((s) => s.map((b) => b.batch))).toEqual([[4, 4, 2], [4, 4, 2], [4, 4, 2]]);
    seen[2].forEach((b, k) => expect(b).toBe(seen[0][k]));
    expect({ ...results[2], seconds: 0 }).toEqual({ ...results[0], seconds: 0 });
  });
});
