// A synthetic temporal task that needs a memory of more than 100 steps (the adaptive threshold's
// use case, docs/design.md §2.1): delayed XOR. No files, deterministic from one seed.
//
// 20 inputs in four groups of 5. A sample opens with a cue, A ∈ {0, 1}: group A fires for 20 steps
// (each unit with probability 0.3 per step). Then a delay of T − 41 ≥ 100 steps carries sparse
// noise only. Then a probe, B ∈ {0, 1}: group 2 + B fires for the 20 steps before the last (whose
// input no update uses). The label is A XOR B. Neither the cue nor the probe alone says anything
// about it, and a readout that adds (sum logits) or maxes (max logits) what it saw at the cue and
// at the probe cannot form the XOR: a network must carry A across the delay to the probe.
// Samples cycle through the four (A, B), so every prefix of 4k samples is balanced.

import { Rng } from "../util/rng.ts";
import { mixSeed } from "./batches.ts";
import { EventCollector } from "./events.ts";
import { PackedBuilder, type PackedDataset } from "./packed-dataset.ts";

export const DELAYED_XOR = {
  inputs: 20,
  classes: 2,
  groupSize: 5,
  cueSteps: 20,
  probeSteps: 20,
  minDelay: 100,
  /** Spike probability per (step, unit) of the active group during the cue and the probe. */
  rate: 0.3,
  /** Noise spike probability per (step, unit) everywhere. */
  noise: 0.005,
} as const;

/** The fewest steps a delayed-XOR sample can have: cue, the shortest delay, probe, the unused last step. */
export const DELAYED_XOR_MIN_STEPS = DELAYED_XOR.cueSteps + DELAYED_XOR.minDelay + DELAYED_XOR.probeSteps + 1;

export interface DelayedXorOptions {
  steps: number;
  samples: number;
  seed: number;
  /** Same task, independent samples. Default "train". */
  split?: "train" | "test";
}

/** The (A, B) of sample i: (i mod 2, ⌊i/2⌋ mod 2), so the label A XOR B alternates in pairs. */
export function delayedXorPair(i: number): { a: number; b: number; label: number } {
  const a = i % 2;
  const b = Math.floor(i / 2) % 2;
  return { a, b, label: a ^ b };
}

export function delayedXorDataset(opts: DelayedXorOptions): PackedDataset {
  const { steps, samples, seed } = opts;
  const X = DELAYED_XOR;
  if (!Number.isInteger(steps) || steps < DELAYED_XOR_MIN_STEPS)
    throw new RangeError(`delayed-xor dataset: needs at least ${DELAYED_XOR_MIN_STEPS} steps (a ${X.cueSteps}-step cue, a delay of at least ${X.minDelay} steps, a ${X.probeSteps}-step probe), got ${steps}`);
  if (!Number.isInteger(samples) || samples < 0) throw new RangeError(`delayed-xor dataset: samples must be a non-negative integer, got ${samples}`);
  const split = opts.split ?? "train";
  const builder = new PackedBuilder(`delayed-xor/${split}`, X.inputs, steps, X.classes);
  const events = new EventCollector(X.inputs, steps);
  const probeStart = steps - 1 - X.probeSteps;
  for (let i = 0; i < samples; i++) {
    // One stream per sample: get(i) does not depend on how many samples were drawn.
    const rng = new Rng(mixSeed(seed, split === "train" ? 0x7a1 : 0x7e5, i));
    const { a, b, label } = delayedXorPair(i);
    events.reset();
    const burst = (group: number, from: number, to: number) => {
      for (let t = from; t < to; t++) for (let u = 0; u < X.groupSize; u++) if (rng.next() < X.rate) events.add(t, group * X.groupSize + u);
    };
    burst(a, 0, X.cueSteps);
    burst(2 + b, probeStart, probeStart + X.probeSteps);
    for (let t = 0; t < steps; t++) for (let u = 0; u < X.inputs; u++) if (rng.next() < X.noise) events.add(t, u);
    builder.push(events.toSample(label));
  }
  return builder.build();
}
