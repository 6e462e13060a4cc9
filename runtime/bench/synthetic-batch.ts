// A batch of uniformly random input spikes at a given density, for timing when a dataset is not
// on this machine (N-MNIST and SHD are not shipped).

import { inheritChecked, packBatch, type SpikeBatch, type SpikeSample } from "../data/spike-batch.ts";
import { Rng } from "../util/rng.ts";

export function randomSpikeBatch(batch: number, steps: number, inputs: number, classes: number, density: number, seed = 1): SpikeBatch {
  const rng = new Rng(seed);
  const samples: SpikeSample[] = [];
  for (let b = 0; b < batch; b++) {
    const times: number[] = [];
    const units: number[] = [];
    for (let t = 0; t < steps; t++)
      for (let i = 0; i < inputs; i++)
        if (rng.next() < density) {
          times.push(t);
          units.push(i);
        }
    samples.push({ times: Int32Array.from(times), units: Int32Array.from(units), label: rng.int(0, classes - 1) });
  }
  return packBatch(samples, steps, inputs);
}

/** Typical input densities (spikes per input per step) of the real data sets, for stand-ins. */
export const TYPICAL_DENSITY: Record<string, number> = {
  // N-MNIST: ~4–5k events per 300 ms sample over 1156 inputs.
  nmnist: 0.013,
  // SHD: ~8k spikes per 1 s utterance over 700 channels, 500 bins of 2 ms.
  shd: 0.02,
  synthetic: 0.05,
  "fashion-mnist": 0.004,
};

/** The first n samples of a batch. */
export function sliceBatch(b: SpikeBatch, n: number): SpikeBatch {
  if (n >= b.batch) return b;
  const end = b.offsets[n * b.steps];
  return inheritChecked(
    { batch: n, steps: b.steps, inputs: b.inputs, offsets: b.offsets.slice(0, n * b.steps + 1), indices: b.indices.slice(0, end), labels: b.labels.slice(0, n) },
    b,
  );
}

/** Samples [from, to) of a batch (a data-parallel rank's share). */
export function sliceBatchRange(b: SpikeBatch, from: number, to: number): SpikeBatch {
  const T = b.steps;
  const first = b.offsets[from * T];
  const offsets = b.offsets.slice(from * T, to * T + 1).map((o) => o - first);
  const indices = b.indices.slice(first, b.offsets[to * T]);
  return inheritChecked({ batch: to - from, steps: T, inputs: b.inputs, offsets, indices, labels: b.labels.slice(from, to) }, b);
}
