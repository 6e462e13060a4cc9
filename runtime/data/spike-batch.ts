// The one input format every backend takes: spikes as CSR per (sample, step), never a dense
// B×T×N float tensor. Events of sample b at step t are
// indices[offsets[b·T + t] … offsets[b·T + t + 1]); indices are flat input neuron numbers
// (C·H·W order for image inputs).

export interface SpikeBatch {
  batch: number;
  steps: number;
  inputs: number;
  /** length batch·steps + 1, non-decreasing, offsets[0] = 0. */
  offsets: Uint32Array;
  indices: Uint32Array;
  /** length batch; class index per sample. */
  labels: Int32Array;
}

/** One sample's spikes as parallel arrays, sorted by time then unit; times in [0, steps). */
export interface SpikeSample {
  times: Int32Array;
  units: Int32Array;
  label: number;
}

/** A random-access dataset of encoded samples. */
export interface SpikeDataset {
  readonly name: string;
  readonly length: number;
  readonly inputs: number;
  readonly steps: number;
  readonly classes: number;
  get(index: number): SpikeSample;
}

// Batches whose every index packBatch checked against `inputs` while packing them. The addon skips
// its own walk over every event for these (templates/shared/addon.cpp) and keeps it for
// batches built by hand: an index out of range would read outside the weights. A WeakSet, not a
// field, so that copying or spreading a batch (or a user's own object) never carries the mark.
const checkedBatches = new WeakSet<SpikeBatch>();

/** Whether packBatch built `b` (and so checked every index), or it was cut from such a batch. The
 *  arrays must not have been changed since. */
export function isCheckedBatch(b: SpikeBatch): boolean {
  return checkedBatches.has(b);
}

/** `part` was cut from `whole` without changing an index: it is checked when `whole` is. */
export function inheritChecked(part: SpikeBatch, whole: SpikeBatch): SpikeBatch {
  if (checkedBatches.has(whole)) checkedBatches.add(part);
  return part;
}

/** Arrays packBatch may pack into instead of allocating a batch's own: a training batch of
 *  N-MNIST is ~4 MB of indices, and packing 256 samples into fresh arrays took 20–68 µs a sample
 *  (synthetic files, in one process) against ~14 µs into arrays kept from the batch before last.
 *  A batch packed into them stays valid only until they are packed into again. */
export class BatchArrays {
  offsets = new Uint32Array(0);
  indices = new Uint32Array(0);
}

/** Pack samples into one batch (duplicate events at the same (t, i) collapse to one spike). Every
 *  unit is checked against `inputs` here, where the data enters the runtime, so the batch is marked
 *  checked (isCheckedBatch) and no backend walks its events again. With `into`, the batch's offsets
 *  and indices are views of its arrays (grown as needed). */
export function packBatch(samples: SpikeSample[], steps: number, inputs: number, into?: BatchArrays): SpikeBatch {
  const batch = samples.length;
  let total = 0;
  for (const s of samples) total += s.times.length;
  let offsets: Uint32Array;
  let indices: Uint32Array;
  if (into) {
    if (into.offsets.length < batch * steps + 1) into.offsets = new Uint32Array(batch * steps + 1);
    // A quarter more than asked, so batches a little denser than the last do not reallocate.
    if (into.indices.length < total) into.indices = new Uint32Array(Math.ceil(total * 1.25));
    offsets = into.offsets.subarray(0, batch * steps + 1);
    indices = into.indices;
  } else {
    offsets = new Uint32Array(batch * steps + 1);
    indices = new Uint32Array(total);
  }
  let n = 0;
  for (let b = 0; b < batch; b++) {
    const { times, units } = samples[b];
    let k = 0;
    for (let t = 0; t < steps; t++) {
      offsets[b * steps + t] = n;
      const start = n;
      while (k < times.length && times[k] === t) {
        const u = units[k++];
        if (u < 0 || u >= inputs) throw new RangeError(`input unit ${u} out of range [0, ${inputs})`);
        if (n === start || indices[n - 1] !== u) indices[n++] = u;
      }
    }
    if (k !== times.length) throw new RangeError(`sample ${b}: times must be sorted and in [0, ${steps})`);
  }
  offsets[batch * steps] = n;
  const labels = Int32Array.from(samples, (s) => s.label);
  const packed: SpikeBatch = { batch, steps, inputs, offsets, indices: indices.subarray(0, n), labels };
  checkedBatches.add(packed);
  return packed;
}
