// Epoch iteration: which samples form which batch. The order is a pure function of
// (seed, epoch), so a run resumed at epoch k from a checkpoint sees exactly the batches an
// uninterrupted run would have, without replaying epochs 0…k−1.

import { Rng } from "../util/rng.ts";
import { packBatch, type SpikeBatch, type SpikeDataset } from "./spike-batch.ts";

export interface EpochOptions {
  /** Use only this many samples: a fixed (seed-dependent, epoch-independent) subset, kept in dataset order. */
  limit?: number;
  /** Skip a final batch smaller than batchSize (default false: the last batch is smaller). */
  dropLast?: boolean;
  /** Shuffle every epoch (default true); false keeps dataset order, e.g. for evaluation. */
  shuffle?: boolean;
}

// Distinct streams for the subset choice and the per-epoch shuffles, so changing `limit`
// does not change how epochs are shuffled relative to each other and vice versa.
const SUBSET_STREAM = 0x5eb5e7;
const EPOCH_STREAM = 0xe90c4;

/** Mix integers into one 32-bit seed (murmur3 finaliser per part), so nearby inputs give unrelated streams. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let k = (part >>> 0) ^ Math.floor(part / 0x100000000);
    k = Math.imul(k ^ (k >>> 16), 0x85ebca6b);
    k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35);
    k ^= k >>> 16;
    h = Math.imul(h ^ k, 0x01000193) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h >>> 0;
}

/** Dataset indices used for training given `limit` (all of them, in order, without one). */
export function subsetIndices(length: number, seed: number, limit?: number): Uint32Array {
  const all = new Uint32Array(length);
  for (let i = 0; i < length; i++) all[i] = i;
  if (limit === undefined || limit >= length) return all;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  new Rng(mixSeed(seed, SUBSET_STREAM)).shuffle(all);
  return all.subarray(0, limit).sort();
}

/** The sample order of one epoch (a permutation of the subset, or the subset itself without shuffle). */
export function epochOrder(length: number, seed: number, epoch: number, opts: EpochOptions = {}): Uint32Array {
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
  const order = subsetIndices(length, seed, opts.limit);
  if (opts.shuffle ?? true) new Rng(mixSeed(seed, EPOCH_STREAM, epoch)).shuffle(order);
  return order;
}

/** Number of batches epochBatches yields for these arguments. */
export function batchCount(dataset: SpikeDataset | number, batchSize: number, opts: EpochOptions = {}): number {
  checkBatchSize(batchSize);
  const length = typeof dataset === "number" ? dataset : dataset.length;
  const n = opts.limit === undefined ? length : Math.min(length, opts.limit);
  return opts.dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/** The batches of one epoch, packed for the kernels. */
export function* epochBatches(
  dataset: SpikeDataset,
  batchSize: number,
  seed: number,
  epoch: number,
  opts: EpochOptions = {},
): Generator<SpikeBatch> {
  checkBatchSize(batchSize);
  const order = epochOrder(dataset.length, seed, epoch, opts);
  const batches = batchCount(order.length, batchSize, { dropLast: opts.dropLast });
  for (let b = 0; b < batches; b++) {
    const end = Math.min(order.length, (b + 1) * batchSize);
    const samples = [];
    for (let k = b * batchSize; k < end; k++) samples.push(dataset.get(order[k]));
    yield packBatch(samples, dataset.steps, dataset.inputs);
  }
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
}
