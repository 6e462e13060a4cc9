// A small synthetic classification task for tests and models/tiny.json: no files, deterministic
// from one seed, and easy enough that a tiny SNN learns it within two epochs.
//
// Each class owns a characteristic set of input units (disjoint across classes when the inputs
// allow it). In a sample of class c, each of c's units fires with probability 0.9, first early
// (step < steps/4) and then repeatedly every few steps; every other (step, unit) carries a sparse
// noise spike. The class sets depend only on `seed`, so a train and a test split made with the
// same seed and different `split` share the task but not the samples.

import { Rng } from "../util/rng.ts";
import { mixSeed } from "./batches.ts";
import { EventCollector } from "./events.ts";
import { PackedBuilder, type PackedDataset } from "./packed-dataset.ts";

export interface SyntheticOptions {
  inputs: number;
  steps: number;
  classes: number;
  samples: number;
  seed: number;
  /** Which split to draw: same task, independent samples. Default "train". */
  split?: "train" | "test";
  /** Noise spike probability per (step, unit); default 0.01. */
  noise?: number;
}

const FIRE_PROBABILITY = 0.9;

/** The characteristic units of each class (sorted), as the dataset uses them. */
export function syntheticClassUnits(inputs: number, classes: number, seed: number): Int32Array[] {
  const perClass = Math.max(1, Math.min(Math.floor(inputs / classes), Math.max(2, Math.round(inputs * 0.2))));
  const rng = new Rng(mixSeed(seed, 0xc1a55));
  const units = Int32Array.from({ length: inputs }, (_, i) => i);
  rng.shuffle(units);
  const sets: Int32Array[] = [];
  for (let c = 0; c < classes; c++) {
    let set: Int32Array;
    if (perClass * classes <= inputs) {
      set = units.slice(c * perClass, (c + 1) * perClass);
    } else {
      // Too few inputs for disjoint sets: each class draws its own (overlapping) random set.
      const own = Int32Array.from(units);
      rng.shuffle(own);
      set = own.slice(0, perClass);
    }
    sets.push(set.sort());
  }
  return sets;
}

export function syntheticDataset(opts: SyntheticOptions): PackedDataset {
  const { inputs, steps, classes, samples, seed } = opts;
  for (const [k, v] of [["inputs", inputs], ["steps", steps], ["classes", classes]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`synthetic dataset: ${k} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(samples) || samples < 0) throw new RangeError(`synthetic dataset: samples must be a non-negative integer, got ${samples}`);
  const split = opts.split ?? "train";
  const noise = opts.noise ?? 0.01;
  const sets = syntheticClassUnits(inputs, classes, seed);
  const builder = new PackedBuilder(`synthetic/${split}`, inputs, steps, classes);
  const events = new EventCollector(inputs, steps);
  const early = Math.max(1, Math.floor(steps / 4));
  const period = Math.max(2, Math.floor(steps / 5));
  for (let i = 0; i < samples; i++) {
    // One stream per sample: get(i) does not depend on how many samples were drawn.
    const rng = new Rng(mixSeed(seed, split === "train" ? 1 : 2, i));
    const label = i % classes; // balanced, and every prefix is near-balanced
    events.reset();
    for (const u of sets[label]) {
      if (rng.next() >= FIRE_PROBABILITY) continue;
      for (let t = rng.int(0, early - 1); t < steps; t += period + rng.int(-1, 1)) events.add(t, u);
    }
    // Noise: a geometric skip over the steps·inputs grid draws each cell with probability `noise`.
    if (noise > 0) {
      const cells = steps * inputs;
      const logq = Math.log1p(-Math.min(noise, 0.999999));
      for (let k = Math.floor(Math.log(1 - rng.next()) / logq); k < cells; k += 1 + Math.floor(Math.log(1 - rng.next()) / logq)) {
        events.add(Math.floor(k / inputs), k % inputs);
      }
    }
    builder.push(events.toSample(label));
  }
  return builder.build();
}
