// Training tiny.json on the synthetic task (CPU backend): the loss falls and the test accuracy beats
// chance; resuming from a checkpoint (at an epoch boundary or mid-epoch after a stop) gives the same
// weights, bit for bit, as an uninterrupted run; non-finite losses and weights stop the run.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../runtime/checkpoint/checkpoint.ts";
import { loadDataset } from "../../runtime/data/index.ts";
import type { OpenedNetwork } from "../../runtime/model/open-model.ts";
import { readMetrics, type EpochRecord } from "../../runtime/train/run-dir.ts";
import { NonFiniteError, Trainer } from "../../runtime/train/trainer.ts";
import { checkpointBytes, openCpu, tempDir, TINY, TINY_TASK, trainQuiet } from "./support.ts";

const tmp = tempDir("train");
let opened: OpenedNetwork;
beforeAll(async () => {
  opened = await openCpu(TINY);
});
afterAll(() => tmp.remove());

const epochsOf = (dir: string) => readMetrics(dir).filter((r): r is EpochRecord => r.type === "epoch");
/** An epoch record without its timings (which differ between runs). */
const numbers = (r: EpochRecord) => ({ epoch: r.epoch, train: { ...r.train, seconds: 0 }, test: { ...r.test, seconds: 0 }, adamSteps: r.adamSteps });

describe("training tiny.json on the synthetic task", () => {
  it("lowers the loss and beats chance (1/3) by a clear margin in 2 epochs", async () => {
    const out = join(tmp.path, "learn");
    const log: string[] = [];
    const r = await trainQuiet({ out, epochs: 2, synthetic: TINY_TASK }, log);
    expect(r.status).toBe("done");
    expect(r.records).toHaveLength(2);
    const [e1, e2] = r.records;
    expect(e2.train.loss).toBeLessThan(e1.train.loss);
    expect(e2.test.loss).toBeLessThan(e1.test.loss);
    expect(e2.test.samples).toBe(TINY_TASK.testSamples);
    // Deterministic on the CPU backend; the default task reaches ~89% after 2 epochs.
    expect(e2.test.accuracy).toBeGreaterThan(0.8);
    // Per-layer activity is recorded for both hidden layers.
    expect(e2.test.layers.map((l) => l.id)).toEqual(["l1", "l2"]);
    for (const l of e2.test.layers) {
      expect(l.spikeRate).toBeGreaterThan(0);
      expect(l.activeFraction).toBeGreaterThan(0);
      expect(l.activeFraction).toBeLessThanOrEqual(1);
    }
    // What the user sees, in order.
    expect(log[0]).toMatch(/^data: synthetic task \(12 inputs, 3 classes, seed 1; 512 train \/ 128 test\)/);
    expect(log[1]).toBe("backend: cpu");
    expect(log).toContain("kernels up to date");
    expect(log.filter((l) => /^epoch [12]\/2  train loss \d\.\d{3} acc \d+\.\d%  test loss \d\.\d{3} acc \d+\.\d%  l1 active \d+\.\d% spikes \d\.\d{3}\/step  l2 active .* \(\d+\.\d s, \d+ samples\/s\)$/.test(l))).toHaveLength(2);
    expect(log.at(-2)).toMatch(/^final test accuracy \d+\.\d% \(loss \d\.\d{3}\) after 2 epochs/);
    expect(log.at(-1)).toBe(`run directory: ${out} (report: ${join(out, "report.html")})`);
    // The run directory.
    for (const f of ["spec.json", "run.json", "metrics.jsonl", "raster.json", "report.html", "last.safetensors", "checkpoint-epoch-1.safetensors", "checkpoint-epoch-2.safetensors"])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "spec.json"), "utf8")).name).toBe("tiny");
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run).toMatchObject({ model: "tiny", backend: "cpu", seed: 0, batch: 4, lr: 0.01, epochs: 2, limit: null, trainSamples: 512, testSamples: 128 });
    expect(epochsOf(out).map(numbers)).toEqual(r.records.map(numbers));
    const meta = loadCheckpoint(join(out, "last.safetensors")).meta;
    expect(meta).toMatchObject({ epoch: 2, samplesDone: 0, adamSteps: 256, seed: 0, backend: "cpu", batch: 4, specName: "tiny", specHash: opened.network.specHash });
  });

  it("--limit trains on a subset and tests on the same share", async () => {
    const log: string[] = [];
    const r = await trainQuiet({ out: join(tmp.path, "limit"), epochs: 1, limit: 100 }, log);
    expect(log).toContain("--limit 100: training on 100 of 512 samples, testing on 25 of 128 (the same share)");
    expect(r.records[0].train.samples).toBe(100);
    expect(r.records[0].test.samples).toBe(25);
    expect(r.records[0].adamSteps).toBe(25);
  });
});

describe("resume", () => {
  let straight: string;
  beforeAll(async () => {
    straight = join(tmp.path, "straight");
    await trainQuiet({ out: straight, epochs: 2, seed: 7 });
  });

  it("2 epochs straight = 1 epoch + resume for 1 more, bit for bit", async () => {
    const split = join(tmp.path, "split");
    await trainQuiet({ out: split, epochs: 1, seed: 7 });
    const log: string[] = [];
    // No --out: a checkpoint inside a run directory continues that directory.
    const r = await trainQuiet({ resume: join(split, "last.safetensors"), epochs: 2 }, log);
    expect(r.runDir).toBe(split);
    expect(log).toContain(`resumed from ${join(split, "last.safetensors")}: 1 epoch done, 128 Adam steps`);
    expect(checkpointBytes(join(split, "last.safetensors"))).toEqual(checkpointBytes(join(straight, "last.safetensors")));
    expect(loadCheckpoint(join(split, "last.safetensors")).meta.adamSteps).toBe(256);
    expect(epochsOf(split).map(numbers)).toEqual(epochsOf(straight).map(numbers));
  });

  it("a stop mid-epoch writes a checkpoint that resumes to the same result", async () => {
    const cut = join(tmp.path, "cut");
    let polls = 0;
    // Requested before the 71st batch: epoch 1 stops after 70 of its 128 batches (the looks
    // before training began, once the data loaded and once the kernels did, not counted).
    let began = false;
    const stop = {
      beginTraining: () => {
        began = true;
      },
      get requested() {
        return began && ++polls > 70;
      },
    };
    const log: string[] = [];
    const first = await trainQuiet({ out: cut, epochs: 2, seed: 7, stop }, log);
    expect(first.status).toBe("interrupted");
    expect(first.checkpoint).toBe(join(cut, "last.safetensors"));
    expect(log).toContain(`interrupted in epoch 1 after 280 of 512 samples; checkpoint written to ${join(cut, "last.safetensors")}`);
    const meta = loadCheckpoint(join(cut, "last.safetensors")).meta;
    expect(meta).toMatchObject({ epoch: 0, samplesDone: 280, adamSteps: 70 });
    expect(meta.partial?.batches).toBe(70);
    const second = await trainQuiet({ out: cut, resume: join(cut, "last.safetensors") });
    expect(second.status).toBe("done");
    expect(checkpointBytes(join(cut, "last.safetensors"))).toEqual(checkpointBytes(join(straight, "last.safetensors")));
    // Epoch 1's line covers all its batches, the ones before the stop included.
    expect(epochsOf(cut).map(numbers)).toEqual(epochsOf(straight).map(numbers));
  });

  it("resuming an older checkpoint branches into a new run directory and leaves the run as it was", async () => {
    const three = join(tmp.path, "three");
    await trainQuiet({ out: three, epochs: 3, seed: 7, limit: 16 });
    const files = readdirSync(three).sort();
    const before = new Map(files.map((f) => [f, readFileSync(join(three, f))]));
    const old = join(three, "checkpoint-epoch-1.safetensors");
    const runsRoot = join(tmp.path, "branches");
    const log: string[] = [];
    const r = await trainQuiet({ resume: old, epochs: 2, runsRoot }, log);
    expect(r.status).toBe("done");
    expect(dirname(r.runDir)).toBe(runsRoot);
    expect(log).toContain(
      `note: ${old} is not the latest checkpoint of ${three} (that run reached epoch 3); continuing in a new run directory, the original run is left as it was`,
    );
    // Nothing of the original run changed: its history, its last checkpoint, its settings.
    expect(readdirSync(three).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(three, f)), f).toEqual(before.get(f));
    // The branch carries the history up to its checkpoint, then its own epoch 2.
    expect(epochsOf(r.runDir).map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochsOf(r.runDir)[0]).toEqual(epochsOf(three)[0]);
    expect(JSON.parse(readFileSync(join(r.runDir, "run.json"), "utf8")).resumedFrom).toBe(old);

    // Into the original directory explicitly: refused, saying why.
    await expect(trainQuiet({ resume: old, epochs: 2, out: three })).rejects.toThrow(
      `${old} is not the latest checkpoint of ${three} (that run reached epoch 3); resuming it there would discard the later epochs. Leave out --out to continue in a new run directory, or pass another --out`,
    );
    for (const f of files) expect(readFileSync(join(three, f)), f).toEqual(before.get(f));
  });

  it("refuses to resume a finished run without a larger --epochs", async () => {
    await expect(trainQuiet({ out: join(tmp.path, "x"), resume: join(straight, "last.safetensors") })).rejects.toThrow(
      `${join(straight, "last.safetensors")} has already trained 2 epochs of 2; pass --epochs with a larger total to train further`,
    );
  });
});

describe("non-finite values stop training", () => {
  it("names the epoch and batch where the loss became NaN", async () => {
    const run = trainQuiet({
      out: join(tmp.path, "nan"),
      epochs: 2,
      // Strong hidden weights make both layers spike on the first batch; an infinite readout weight
      // then makes a logit +Inf, and the softmax of it NaN.
      onModel: (m) => {
        for (const [name, value] of [["w1", 2], ["w2", 2], ["w3", Infinity]] as const)
          m.setWeights(name, new Float32Array(m.getWeights(name).length).fill(value));
      },
    });
    await expect(run).rejects.toThrow(NonFiniteError);
    await expect(run).rejects.toThrow(
      "the training loss became NaN at epoch 1, batch 1 of 128; training stopped (lower the learning rate with --lr, or check the data)",
    );
    expect(existsSync(join(tmp.path, "nan", "last.safetensors"))).toBe(false);
  });

  it("catches NaN weights that leave the loss finite, before checkpointing them", async () => {
    // A NaN membrane never crosses threshold, so NaN input weights silence the layer but the loss stays finite.
    const model = opened.create({ seed: 1 });
    const data = await loadDataset("synthetic", { steps: 16, synthetic: { inputs: 12, classes: 3, trainSamples: 40 } });
    const w1 = model.getWeights("w1");
    w1[5] = NaN;
    model.setWeights("w1", w1);
    const trainer = new Trainer(model, { train: data.train, test: data.test, batch: 4, seed: 0, lr: 0.01 });
    const epoch = await trainer.trainEpoch(0);
    expect(epoch.complete).toBe(true);
    expect(() => trainer.checkWeights(0)).toThrow(
      "the weights became non-finite during epoch 1 (w1[5] is NaN); training stopped (lower the learning rate with --lr, or check the data)",
    );
    model.dispose();
  });
});
