// `snnc bench` under an MPI launcher: one data-parallel training step (each rank's share of the
// batch forward and backward, the gradient reduce, the stats reduce, Adam) timed at N ranks, and
// within it the gradient reduce: the bytes each rank sends into it per step and its share of the
// step. The reduce's time includes waiting for the slowest rank, which is what it costs a step.

import type { SpikeBatch } from "../data/spike-batch.ts";
import type { OpenedNetwork } from "../model/open-model.ts";
import { DataParallel, shardCapacity, shardRange, type ReduceRoute } from "../mpi/data-parallel.ts";
import type { World } from "../mpi/world.ts";
import { median, quantile } from "./bench.ts";
import { applyCalibration, calibrateActivity, type ActivityTarget } from "./calibrate.ts";
import { sliceBatch, sliceBatchRange } from "./synthetic-batch.ts";

export interface ReduceTiming {
  model: string;
  ranks: number;
  /** The global batch, and the largest share of it one rank takes. */
  batch: number;
  share: number;
  route: ReduceRoute;
  bytesPerStep: number;
  /** Wall time of one data-parallel step on rank 0 (all ranks step together). */
  stepMs: { median: number; p10: number; p90: number };
  /** Wall time of the gradient reduce inside it (host copies included on CUDA's staging route). */
  reduceMs: { median: number; p10: number; p90: number };
  /** 100 · median reduce / median step. */
  sharePct: number;
  /** Mean over hidden layers and reps of the active fraction (the whole batch's). */
  activeFraction: number;
}

export interface ReduceBenchOptions {
  warmup: number;
  reps: number;
  activity: ActivityTarget | null;
}

const spread = (xs: number[]) => ({ median: median(xs), p10: quantile(xs, 0.1), p90: quantile(xs, 0.9) });

/** Times `reps` data-parallel steps of `batch` (the global batch; each rank takes its share). Every
 *  rank calls it; every rank gets rank 0's figures. */
export function benchReduce(opened: OpenedNetwork, batch: SpikeBatch, world: World, opts: ReduceBenchOptions): ReduceTiming {
  const B = batch.batch;
  const model = opened.create({ batch: shardCapacity(B, world.size) });
  try {
    if (opts.activity) {
      const nCal = Math.min(16, B, model.batchCapacity);
      applyCalibration(model, calibrateActivity(model, sliceBatch(batch, nCal), opts.activity));
    }
    const parallel = new DataParallel(world, model);
    parallel.alignWeights("the bench's calibration"); // every rank starts from rank 0's weights
    const [from, to] = shardRange(0, B, world.rank, world.size);
    const local = to > from ? sliceBatchRange(batch, from, to) : null;
    const lr = opened.network.training.adam.lr;
    const steps: number[] = [];
    const reduces: number[] = [];
    let active = 0;
    for (let k = 0; k < opts.warmup + opts.reps; k++) {
      const before = parallel.reduceSeconds;
      const t0 = performance.now();
      const { stats } = parallel.trainStep(local, B, lr, false, `bench step ${k + 1}`);
      const ms = performance.now() - t0;
      if (k < opts.warmup) continue;
      steps.push(ms);
      reduces.push((parallel.reduceSeconds - before) * 1000);
      active += stats.layers.length ? stats.layers.reduce((a, l) => a + l.activeFraction, 0) / stats.layers.length : 0;
    }
    // Rank 0's figures on every rank (the others measured the same steps from their side).
    const figures = new Float64Array([...steps, ...reduces]);
    world.broadcast(figures, "the bench's timings");
    const step = spread([...figures.subarray(0, opts.reps)]);
    const reduce = spread([...figures.subarray(opts.reps)]);
    return {
      model: opened.network.name,
      ranks: world.size,
      batch: B,
      share: shardCapacity(B, world.size),
      route: parallel.route,
      bytesPerStep: parallel.bytesPerStep,
      stepMs: step,
      reduceMs: reduce,
      sharePct: (100 * reduce.median) / step.median,
      activeFraction: active / opts.reps,
    };
  } finally {
    model.dispose();
  }
}
