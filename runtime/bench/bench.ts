// Timing one training step: warm up, then time many reps of trainStep (wall clock around the
// call, which waits for the device) and, with profiling on, every kernel (CUDA events on the GPU,
// steady_clock on the CPU). Medians, never means: one slow rep must not move the number.

import type { SpikeBatch } from "../data/spike-batch.ts";
import type { SnnModel } from "../model/snn-model.ts";

export interface BenchOptions {
  warmup?: number;
  reps?: number;
  /** Called after each timed rep (progress). */
  onRep?: (rep: number, reps: number) => void;
}

export interface StepTiming {
  backward: "sparse" | "dense";
  backend: "cpu" | "cuda";
  batch: number;
  reps: number;
  /** Wall time of one trainStep (forward, loss, backward, Adam, stats read back). */
  stepMs: { median: number; p10: number; p90: number };
  /** Sum of the kernels' medians: the device time of one step. */
  kernelMs: number;
  /** Median milliseconds of each kernel, in launch order. */
  kernels: [string, number][];
  /** Bytes the model holds after the timed reps (active sets grown as needed). */
  bufferBytes: number;
  /** Mean over hidden layers of the fraction of active neuron-times. */
  activeFraction: number;
}

export function benchTrainStep(model: SnnModel, batch: SpikeBatch, opts: BenchOptions = {}): StepTiming {
  const warmup = opts.warmup ?? 5;
  const reps = opts.reps ?? 30;
  const weights = model.weightNames.map((n) => [n, model.getWeights(n)] as const);
  // The same batch is handed on as the next one: a model that overlaps uploads times that path.
  for (let k = 0; k < warmup; k++) model.trainStep(batch, undefined, batch);
  const wall: number[] = [];
  const perKernel = new Map<string, number[]>();
  let active = 0;
  // Per-kernel timing launches kernel by kernel, so a step graph's wall time is taken apart first.
  if (model.stepGraph)
    for (let k = 0; k < reps; k++) {
      const start = process.hrtime.bigint();
      model.trainStep(batch, undefined, batch);
      wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  model.profile(true);
  try {
    for (let k = 0; k < reps; k++) {
      const start = process.hrtime.bigint();
      const stats = model.trainStep(batch, undefined, batch);
      if (!model.stepGraph) wall.push(Number(process.hrtime.bigint() - start) / 1e6);
      for (const [name, ms] of model.kernelTimes()) {
        if (!perKernel.has(name)) perKernel.set(name, []);
        perKernel.get(name)!.push(ms);
      }
      active = stats.layers.length ? stats.layers.reduce((a, l) => a + l.activeFraction, 0) / stats.layers.length : 0;
      opts.onRep?.(k + 1, reps);
    }
  } finally {
    model.profile(false);
  }
  // Leave the weights as they were: timing must not train the model.
  for (const [n, w] of weights) model.setWeights(n, w);
  const kernels = [...perKernel].map(([name, ms]) => [name, median(ms)] as [string, number]);
  return {
    backward: model.backward,
    backend: model.backend,
    batch: batch.batch,
    reps,
    stepMs: { median: median(wall), p10: quantile(wall, 0.1), p90: quantile(wall, 0.9) },
    kernelMs: kernels.reduce((a, [, ms]) => a + ms, 0),
    kernels,
    bufferBytes: model.bufferBytes(),
    activeFraction: active,
  };
}

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Per weighted layer: sparse and dense backward kernel time and their ratio. */
export function backwardRatios(sparse: StepTiming, dense: StepTiming): { layer: string; sparseMs: number; denseMs: number; ratio: number }[] {
  const out: { layer: string; sparseMs: number; denseMs: number; ratio: number }[] = [];
  for (const [name, ms] of sparse.kernels) {
    const m = /^backward_sparse_(.+)$/.exec(name);
    if (!m) continue;
    const dense_ = dense.kernels.find(([n]) => n === `backward_dense_${m[1]}`);
    if (dense_) out.push({ layer: m[1], sparseMs: ms, denseMs: dense_[1], ratio: ms / dense_[1] });
  }
  return out.sort((a, b) => (a.layer < b.layer ? -1 : 1));
}
