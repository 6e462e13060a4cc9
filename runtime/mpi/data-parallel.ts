// Data-parallel steps over an MPI world. Every rank holds the same weights and takes its contiguous
// share of each global batch; the loss averages over the global batch (setLossBatch), so the
// ranks' gradients, summed, are the global batch's gradient: only the summation order differs from
// one process. The sum is one MPI_Allreduce over the model's gradient arena per step, placed
// between the backward and the optimizer step, so clipping's global norm and Adam see the global
// gradient; every rank then takes the same Adam step. The step's stats (loss terms, correct
// count, spikes, active counts) are summed too, with each rank's stop request riding along, so all
// ranks stop after the same batch.

import type { SnnModel } from "../model/snn-model.ts";
import type { StepStats } from "../model/step-stats.ts";
import type { SpikeBatch } from "../data/spike-batch.ts";
import { STAT } from "../../compiler/plan/stats-layout.ts";
import type { World } from "./world.ts";

/** Samples [from, to) of a global batch, split into `size` contiguous shares: rank `rank`'s share.
 *  Split as OpenMP's static schedule splits a loop (libgomp: the first n mod size shares take one
 *  more), so N ranks of one thread group the samples as one process with N threads does, and on
 *  the CPU backend two such runs give the same bits. With fewer samples than ranks some shares are
 *  empty. */
export function shardRange(from: number, to: number, rank: number, size: number): [number, number] {
  const n = to - from;
  const q = Math.floor(n / size);
  const extra = n % size;
  const start = from + rank * q + Math.min(rank, extra);
  return [start, start + q + (rank < extra ? 1 : 0)];
}

/** The batch a rank's model must hold: the largest share of a global batch. */
export function shardCapacity(batch: number, size: number): number {
  return Math.ceil(batch / size);
}

/** How this job reduces the gradients, for run.json and the bench. */
export type ReduceRoute = "in-place" | "host-staging" | "cuda-aware";

export class DataParallel {
  readonly route: ReduceRoute;
  /** Bytes every rank contributes to the gradient reduce of one step. */
  readonly bytesPerStep: number;
  /** Seconds spent in gradient reduces (host copies included) and their count, since reset. */
  reduceSeconds = 0;
  reduces = 0;
  private readonly arena: { address: bigint; floats: number; device: boolean };
  private readonly staging: Float32Array | null;
  private readonly statsLength: number;

  constructor(
    readonly world: World,
    readonly model: SnnModel,
  ) {
    this.arena = model.gradientArena();
    this.route = !this.arena.device ? "in-place" : world.info?.cudaAware ? "cuda-aware" : "host-staging";
    this.staging = this.route === "host-staging" ? new Float32Array(this.arena.floats) : null;
    this.bytesPerStep = this.arena.floats * 4;
    this.statsLength = model.rawStats().length;
  }

  resetTiming(): void {
    this.reduceSeconds = 0;
    this.reduces = 0;
  }

  /** Sums the ranks' gradients into every rank's arena. */
  private reduceGradients(what: string): void {
    const t0 = performance.now();
    if (this.staging) {
      // Correct with any MPI: through host memory, one copy each way.
      this.model.readGradients(this.staging);
      this.world.allreduce(this.staging, "sum", what);
      this.model.writeGradients(this.staging);
    } else this.world.allreduceAt(this.arena.address, this.arena.floats, what);
    this.reduceSeconds += (performance.now() - t0) / 1000;
    this.reduces++;
  }

  /** This rank's stats of `local` (zeros without a share) summed over the ranks with `extra`
   *  values appended (summed too); returns the sums. */
  private reduceStats(local: Float64Array | null, extra: number[], what: string): Float64Array {
    const all = new Float64Array(this.statsLength + extra.length);
    if (local) all.set(local);
    all.set(extra, this.statsLength);
    this.world.allreduce(all, "sum", what);
    return all;
  }

  /**
   * One training step of a global batch of `samples` samples, of which `local` is this rank's
   * share (null: none). `stop`: this rank was asked to stop; the result says whether any rank was.
   */
  trainStep(local: SpikeBatch | null, samples: number, lr: number, stop: boolean, label: string): { stats: StepStats; stop: boolean } {
    const model = this.model;
    let raw: Float64Array | null = null;
    if (local) {
      model.setLossBatch(samples);
      raw = model.forwardRaw(local);
      model.backwardPass();
    } else model.zeroGradients();
    this.reduceGradients(`the gradient reduce of ${label}`);
    const sums = this.reduceStats(raw, [stop ? 1 : 0], `the loss reduce of ${label}`);
    model.step(lr);
    const stats = sums.subarray(0, this.statsLength);
    // The clipping norm comes from the reduced gradients, the same on every rank: not a sum.
    if (model.network.training.clipGradNorm !== null) stats[STAT.gradSq] = model.rawStats()[STAT.gradSq];
    return { stats: model.decode(stats, samples), stop: sums[this.statsLength] > 0 };
  }

  /** Forward of a global evaluation batch of `samples` samples (this rank's share `local`, or
   *  null): the stats of the whole batch. */
  evaluate(local: SpikeBatch | null, samples: number, label: string): StepStats {
    const raw = local ? this.model.forwardRaw(local) : null;
    return this.model.decode(this.reduceStats(raw, [], `the reduce of ${label}`).subarray(0, this.statsLength), samples);
  }

  /** Whether any rank was asked to stop (a collective: every rank calls it at the same point). */
  anyStop(stop: boolean, label: string): boolean {
    const flag = new Float64Array([stop ? 1 : 0]);
    this.world.allreduce(flag, "max", label);
    return flag[0] > 0;
  }

  /**
   * Checks that every rank holds the same weights and Adam moments (they take identical steps from
   * identical sums, so they do, unless a device's reduction order differs between ranks); where
   * they differ, rank 0's are copied to every rank. Returns whether they differed.
   */
  alignWeights(label: string): boolean {
    const model = this.model;
    const tensors = model.weightNames.flatMap((name) => {
      const { m, v } = model.getAdamState(name);
      return [model.getWeights(name), m, v];
    });
    const h = fingerprint(tensors);
    const bounds = new Float64Array([h, -h]);
    this.world.allreduce(bounds, "max", `the weight check of ${label}`);
    if (bounds[0] === -bounds[1]) return false;
    for (const [k, name] of model.weightNames.entries()) {
      const [w, m, v] = tensors.slice(3 * k, 3 * k + 3);
      for (const t of [w, m, v]) this.world.broadcast(t, `the weight copy of ${label}`);
      model.setWeights(name, w);
      model.setAdamState(name, m, v);
    }
    return true;
  }
}

/** A 32-bit FNV-1a hash over the bits of the tensors (equal tensors, equal hash). */
function fingerprint(tensors: Float32Array[]): number {
  let h = 0x811c9dc5;
  for (const t of tensors) {
    const words = new Uint32Array(t.buffer, t.byteOffset, t.length);
    for (let k = 0; k < words.length; k++) h = Math.imul(h ^ words[k], 0x01000193) >>> 0;
  }
  return h;
}
