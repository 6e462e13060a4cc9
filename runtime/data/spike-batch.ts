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

/** Pack samples into one batch (duplicate events at the same (t, i) collapse to one spike). Every
 *  unit is checked against `inputs` here, where the data enters the runtime, so the batch is marked
 *  checked (isCheckedBatch) and no backend walks its events again. */
export function packBatch(samples: SpikeSample[], steps: number, inputs: number): SpikeBatch {
  const batch = samples.length;
  const offsets = new Uint32Array(batch * steps + 1);
  let total = 0;
  for (const s of samples) total += s.times.length;
  const indices = new Uint32Array(total);
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
