// The validation split: samples held out of the training split, chosen by the seed alone (not the
// epoch), so every epoch and every resumed run trains and validates on the same two sets. Model
// selection (best.safetensors, early stopping) reads it; the test split is only ever reported.

import { Rng } from "../util/rng.ts";
import { mixSeed } from "./batches.ts";
import type { SpikeDataset, SpikeSample } from "./spike-batch.ts";

// A stream of its own, so the split does not move when --limit or the epoch shuffles change.
const VALIDATION_STREAM = 0x7a11d;

/** Samples `validation` holds out of `length`: a share (< 1, rounded) or a count (≥ 1); 0 for none. */
export function validationCount(validation: number, length: number): number {
  return validation < 1 ? Math.round(validation * length) : validation;
}

/** A view of some samples of a dataset, in the order of `indices` (dataset indices). */
export class SubsetDataset implements SpikeDataset {
  readonly inputs: number;
  readonly steps: number;
  readonly classes: number;

  constructor(
    readonly name: string,
    readonly base: SpikeDataset,
    readonly indices: Uint32Array,
  ) {
    this.inputs = base.inputs;
    this.steps = base.steps;
    this.classes = base.classes;
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): SpikeSample {
    if (!Number.isInteger(index) || index < 0 || index >= this.indices.length)
      throw new RangeError(`${this.name}: sample ${index} out of range [0, ${this.indices.length})`);
    return this.base.get(this.indices[index]);
  }
}

/** Splits `train` into what is trained on and `count` held-out samples (each in dataset order).
 *  The caller has checked 0 < count < train.length. */
export function splitValidation(train: SpikeDataset, count: number, seed: number): { train: SubsetDataset; val: SubsetDataset } {
  const all = new Uint32Array(train.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  new Rng(mixSeed(seed, VALIDATION_STREAM)).shuffle(all);
  const val = all.slice(0, count).sort();
  const rest = all.slice(count).sort();
  return { train: new SubsetDataset(`${train.name} (training part)`, train, rest), val: new SubsetDataset(`${train.name} (validation part)`, train, val) };
}
