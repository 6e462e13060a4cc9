// The training recipe around the optimiser: learning-rate schedules (against PyTorch's formulas and
// values), the learning rate each step really gets, the validation split and model selection on it
// (best.safetensors, early stopping), augmentation reaching the training batches only, a resumed
// scheduled run bit for bit, and bad recipe values refused with the flag and a hint.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNetwork } from "../../compiler/pipeline.ts";
import { resolveSchedule } from "../../compiler/spec/defaults.ts";
import type { ResolvedSchedule } from "../../compiler/spec/types.ts";
import { syntheticDataset } from "../../runtime/data/synthetic.ts";
import type { SpikeBatch, SpikeSample } from "../../runtime/data/spike-batch.ts";
import type { SnnModel } from "../../runtime/model/snn-model.ts";
import type { StepStats } from "../../runtime/model/step-stats.ts";
import { loadCheckpoint } from "../../runtime/checkpoint/checkpoint.ts";
import { encodeSafetensors, readSafetensors } from "../../runtime/checkpoint/safetensors.ts";
import { readMetrics, type EpochRecord } from "../../runtime/train/run-dir.ts";
import { scheduledLr } from "../../runtime/train/schedule.ts";
import { Trainer } from "../../runtime/train/trainer.ts";
import { splitValidation } from "../../runtime/data/validation-split.ts";
import { checkpointBytes, openCpu, tempDir, TINY, trainQuiet } from "./support.ts";

const tmp = tempDir("recipe");
beforeAll(async () => {
  await openCpu(TINY);
});
afterAll(() => tmp.remove());

describe("learning-rate schedules", () => {
  const clock = { epochs: 10, batchesPerEpoch: 10 }; // 100 steps
  const at = (s: ResolvedSchedule, step: number) => scheduledLr(s, 1, step, clock);

  it("one-cycle gives PyTorch OneCycleLR's values (max_lr 1, 100 steps, defaults)", () => {
    const s = resolveSchedule({ kind: "one_cycle" });
    // OneCycleLR: initial_lr = max_lr / 25; the peak at step pct_start·total − 1 = 29; the last
    // step (99) at initial_lr / 1e4; cosine in between.
    expect(at(s, 0)).toBeCloseTo(0.04, 12);
    expect(at(s, 29)).toBeCloseTo(1, 12);
    expect(at(s, 99)).toBeCloseTo(0.04 / 1e4, 12);
    expect(at(s, 14.5)).toBeCloseTo((1 + 0.04) / 2, 12); // half way up: the cosine's mid-point
    expect(at(s, 64)).toBeCloseTo((1 + 4e-6) / 2, 12); // half way down
  });

  it("cosine with warm-up: linear to the peak over the warm-up, then CosineAnnealingLR to min_lr", () => {
    const s = resolveSchedule({ kind: "cosine", warmup_epochs: 2, min_lr: 0.1 }); // 20 warm-up steps
    expect(at(s, 0)).toBeCloseTo(1 / 20, 12);
    expect(at(s, 9)).toBeCloseTo(10 / 20, 12);
    expect(at(s, 19)).toBeCloseTo(1, 12);
    expect(at(s, 20)).toBeCloseTo(1, 12);
    expect(at(s, 60)).toBeCloseTo(0.1 + 0.9 * 0.5, 12); // half of the 80 cosine steps
    expect(at(s, 100)).toBeCloseTo(0.1, 12);
    for (let k = 21; k < 100; k++) expect(at(s, k)).toBeLessThan(at(s, k - 1));
  });

  it("step: ×gamma every step_epochs; constant stays (after its warm-up)", () => {
    const step = resolveSchedule({ kind: "step", step_epochs: 3, gamma: 0.5 });
    expect([0, 29, 30, 59, 60, 99].map((k) => at(step, k))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
    const constant = resolveSchedule({ kind: "constant", warmup_epochs: 0.5 });
    expect([0, 4, 5, 99].map((k) => at(constant, k))).toEqual([0.2, 1, 1, 1]);
  });
});

/** A model that records the lr and batch of every step (no kernels: the Trainer's side only). */
function recorder(calls: { lr: number; batch: SpikeBatch }[]): SnnModel {
  const net = loadNetwork(TINY);
  return {
    network: net,
    batchCapacity: 8,
    trainStep(batch: SpikeBatch, lr: number) {
      // A copy: the trainer packs later batches into the same arrays (spike-batch.ts BatchArrays).
      calls.push({ lr, batch: { ...batch, offsets: batch.offsets.slice(), indices: batch.indices.slice(), labels: batch.labels.slice() } });
      return { loss: 1, correct: 0, batch: batch.batch, layers: [] } as unknown as StepStats;
    },
  } as unknown as SnnModel;
}

describe("the Trainer's steps", () => {
  const net = loadNetwork(TINY);
  const shape = { inputs: net.input.size, classes: net.classes, steps: net.steps, seed: 3 };
  const train = syntheticDataset({ ...shape, samples: 40 });
  const test = syntheticDataset({ ...shape, samples: 4, split: "test" });

  it("each step gets the schedule's rate at its position in the run, resumed mid-epoch too", async () => {
    const s = resolveSchedule({ kind: "cosine", warmup_epochs: 1 });
    const clock = { epochs: 3, batchesPerEpoch: 5 };
    const calls: { lr: number; batch: SpikeBatch }[] = [];
    const trainer = new Trainer(recorder(calls), { train, test, batch: 8, seed: 1, lr: 0.5, lrAt: (k) => scheduledLr(s, 0.5, k, clock) });
    await trainer.trainEpoch(0);
    await trainer.trainEpoch(1, { from: 16 }); // batches 3 … 5 of epoch 2 (steps 7 … 9)
    // Independent float64 formulas: 5 linear warm-up steps, then a cosine over the 10 steps left.
    const cosine = (k: number) => 0.25 * (1 + Math.cos((Math.PI * (k - 5)) / 10));
    const want = [0, 1, 2, 3, 4].map((k) => (0.5 * (k + 1)) / 5).concat([7, 8, 9].map(cosine));
    expect(calls.map((c) => c.lr).length).toBe(8);
    calls.forEach((c, k) => expect(c.lr).toBeCloseTo(want[k], 14));
  });

  it("augmentation reaches the training batches, drawn per epoch by the base dataset's index", async () => {
    const { train: pool, val } = splitValidation(train, 8, 1);
    const drawn: [number, number][] = [];
    const augmented = (i: number, epoch: number): SpikeSample => {
      drawn.push([pool.indices[i], epoch]);
      // A marker the packed batch shows: every event moved to step 0 of unit 0.
      return { times: new Int32Array([0]), units: new Int32Array([epoch]), label: 0 };
    };
    const calls: { lr: number; batch: SpikeBatch }[] = [];
    const trainer = new Trainer(recorder(calls), { train: pool, test, val, batch: 8, seed: 1, lr: 1e-3, augmented });
    await trainer.trainEpoch(0);
    await trainer.trainEpoch(1);
    expect(calls.length).toBe(8);
    // Every training sample was drawn once per epoch, the validation samples never.
    expect(new Set(drawn.filter(([, e]) => e === 0).map(([i]) => i))).toEqual(new Set(pool.indices));
    expect(drawn.some(([i]) => val.indices.includes(i))).toBe(false);
    expect(Array.from(calls[0].batch.indices)).toEqual(new Array(8).fill(0));
    expect(Array.from(calls[4].batch.indices)).toEqual(new Array(8).fill(1));
  });
});

describe("validation and model selection (tiny, CPU)", () => {
  const epochsOf = (dir: string) => readMetrics(dir).filter((r): r is EpochRecord => r.type === "epoch");

  it("holds out a seeded split, reports it every epoch, keeps the best epoch as best.safetensors and stops early", async () => {
    const out = join(tmp.path, "early");
    const log: string[] = [];
    // 12 validation samples saturate within a few epochs; patience 1 then stops the run.
    const r = await trainQuiet({ out, epochs: 30, limit: 200, recipe: { validation: 60, earlyStop: 1 } }, log);
    expect(log).toContain("validation: 60 of 512 training samples held out (seed 0); best.safetensors keeps the epoch with the best validation accuracy");
    expect(r.stoppedEarly).toBe(true);
    expect(r.records.length).toBeLessThan(30);
    const records = epochsOf(out);
    expect(records.every((e) => e.val !== undefined && e.val.samples === 27)).toBe(true);
    // The best epoch is the first with the highest validation accuracy, and the run stopped one
    // epoch (the patience) after it.
    const accs = records.map((e) => e.val!.accuracy);
    const bestEpoch = accs.indexOf(Math.max(...accs)) + 1;
    expect(r.best?.epoch).toBe(bestEpoch);
    expect(records.length).toBe(bestEpoch + 1);
    expect(r.best?.testAccuracy).toBe(records[bestEpoch - 1].test.accuracy);
    expect(checkpointBytes(join(out, "best.safetensors"))).toEqual(checkpointBytes(join(out, `checkpoint-epoch-${bestEpoch}.safetensors`)));
    expect(loadCheckpoint(join(out, "last.safetensors")).meta.best?.epoch).toBe(bestEpoch);
    expect(log).toContain(`early stop: no better validation accuracy for 1 epoch (best ${(100 * accs[bestEpoch - 1]).toFixed(1)}% at epoch ${bestEpoch})`);
    expect(log.at(-2)).toMatch(new RegExp(`^best validation accuracy \\d+\\.\\d% at epoch ${bestEpoch}: test accuracy \\d+\\.\\d% \\(loss \\d\\.\\d{3}\\) for best\\.safetensors$`));
  });

  it("a scheduled AdamW run with validation, stopped mid-epoch and resumed, ends bit for bit where an uninterrupted one does", async () => {
    const recipe = { schedule: "cosine" as const, warmupEpochs: 0.5, weightDecay: 0.05, validation: 0.2 };
    const straight = join(tmp.path, "sched-straight");
    await trainQuiet({ out: straight, epochs: 2, seed: 4, recipe });
    const cut = join(tmp.path, "sched-cut");
    let polls = 0;
    const stop = { get requested() { return ++polls > 61; } };
    const first = await trainQuiet({ out: cut, epochs: 2, seed: 4, recipe, stop });
    expect(first.status).toBe("interrupted");
    // Resumed with no recipe flags: the checkpoint's recipe continues.
    const second = await runResume(join(cut, "last.safetensors"));
    expect(second.status).toBe("done");
    expect(checkpointBytes(join(cut, "last.safetensors"))).toEqual(checkpointBytes(join(straight, "last.safetensors")));
    expect(checkpointBytes(join(cut, "best.safetensors"))).toEqual(checkpointBytes(join(straight, "best.safetensors")));
    const lrs = epochsOf(straight).map((e) => e.lr);
    expect(lrs[1]).toBeLessThan(lrs[0]); // the cosine went down
    expect(epochsOf(cut).map((e) => e.lr)).toEqual(lrs);
  });

  it("takes the recipe from the spec: schedule, AdamW, clipping, validation and early stopping", async () => {
    const spec = JSON.parse(readFileSync(TINY, "utf8"));
    spec.name = "tiny-recipe";
    spec.training = {
      ...spec.training,
      epochs: 3,
      optimizer: { kind: "adamw", lr: 0.01, weight_decay: 0.02 },
      schedule: { kind: "cosine", warmup_epochs: 0.5, min_lr: 0.001 },
      clip_grad_norm: 0.5,
      validation: 50,
      early_stop: 2,
    };
    const file = join(tmp.path, "tiny-recipe.json");
    writeFileSync(file, JSON.stringify(spec));
    const out = join(tmp.path, "from-spec");
    const { runTraining } = await import("../../runtime/train/run-training.ts");
    const log: string[] = [];
    const r = await runTraining({ specPath: file, backend: "cpu", progress: "none", log: (l) => log.push(l), out });
    expect(r.status).toBe("done");
    expect(log).toContain(
      "recipe: schedule cosine to 0.001, warm-up 0.5 epochs; AdamW weight decay 0.02; gradients clipped to norm 0.5; early stop after 2 epochs without a better validation accuracy",
    );
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run).toMatchObject({ valSamples: 50, weightDecay: 0.02, clipGradNorm: 0.5, earlyStop: 2, schedule: { kind: "cosine", warmup_epochs: 0.5, min_lr: 0.001 } });
    const lrs = epochsOf(out).map((e) => e.lr);
    // The last step of the run sits just before the end of the cosine: close to min_lr.
    expect(lrs[2]).toBeLessThan(0.0015);
    expect(lrs[2]).toBeGreaterThan(0.001);
    expect(loadCheckpoint(join(out, "last.safetensors")).meta.recipe).toMatchObject({ weightDecay: 0.02, validation: 50, earlyStop: 2 });
  });

  it("a checkpoint from before recipes existed resumes on the whole training split, as it was trained", async () => {
    const out = join(tmp.path, "legacy");
    await trainQuiet({ out, epochs: 1, limit: 40 });
    // The metadata as snnc wrote it before `recipe` and `best` existed.
    const ckpt = join(out, "last.safetensors");
    const { tensors, metadata } = readSafetensors(ckpt);
    delete metadata.recipe;
    delete metadata.best;
    writeFileSync(ckpt, encodeSafetensors(tensors, metadata));
    expect(loadCheckpoint(ckpt).meta.recipe).toBeNull();
    const log: string[] = [];
    const { runTraining } = await import("../../runtime/train/run-training.ts");
    const r = await runTraining({ specPath: TINY, backend: "cpu", progress: "none", log: (l) => log.push(l), resume: ckpt, epochs: 2 });
    expect(r.status).toBe("done");
    expect(log.some((l) => l.startsWith("validation:"))).toBe(false);
    expect(log.some((l) => l.startsWith("note: resuming with changed settings"))).toBe(false);
    expect(epochsOf(out).map((e) => e.train.samples)).toEqual([40, 40]);
  });

  /** A resume as `snnc train --resume` does it: no recipe flags at all. */
  async function runResume(ckpt: string) {
    const { runTraining } = await import("../../runtime/train/run-training.ts");
    return runTraining({ specPath: TINY, backend: "cpu", progress: "none", log: () => {}, resume: ckpt });
  }

  it.each([
    [{ validation: 600 }, "--val 600 holds out 600 samples, but the training split has only 512; hold out fewer (e.g. --val 0.1)"],
    [{ schedule: "cosine" as const, warmupEpochs: 3 }, "a warm-up of 3 epochs (--warmup-epochs) is not shorter than the run of 3 epochs; warm up over a small part of it"],
    [{ schedule: "one_cycle" as const, warmupEpochs: 1 }, "--warmup-epochs does not apply to the one_cycle schedule (it warms up on its own); use it with constant, step or cosine"],
    [{ validation: 0, earlyStop: 2 }, "early stopping (--early-stop) needs a validation split, but --val is 0; hold some samples out"],
  ])("refuses %j before anything is built or written", async (recipe, message) => {
    const out = join(tmp.path, `bad-${Object.keys(recipe).join("-")}`);
    await expect(trainQuiet({ out, epochs: 3, recipe })).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });
});
