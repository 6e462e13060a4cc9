// How the CUDA kernels lay a stage out: one block per sample, a layer's state in registers
// (PER_THREAD neurons per thread), and a sample's input staged in shared memory when it fits.

import type { InputContext, LifStageContext, ReadoutStageContext } from "../context/types.ts";

/** The kernels keep a layer's state in registers, a few neurons per thread. */
export const MAX_LAYER_SIZE = 4096;
const MAX_BLOCK = 256;
/** Static shared memory a CUDA block may use (48 KiB), less some slack. */
const SHARED_BUDGET = 46 * 1024;
const MAX_EVENT_CACHE = 8192;

export interface CudaLaunch {
  /** Threads per block (one block per sample). */
  block: number;
  /** Neurons each thread owns (register arrays unroll over it). */
  perThread: number;
  /** Input events of a sample staged in shared memory (events input). */
  eventCache: number;
  /** Whether the T rows of the spike bitmask below fit in shared memory (spikes input). */
  rowCache: boolean;
  rowCacheWords: number;
}

/** A dense stage's launch, with what its currents kernel needs when the stage is time-parallel. */
export interface CudaDenseLaunch extends CudaLaunch {
  /** Blocks per SM the currents kernel asks ptxas to fit (one block per (sample, step) pair):
   * about 1024 threads, i.e. at most 64 registers a thread. */
  currentsMinBlocks: number;
}

export function threads(n: number): { block: number; perThread: number } {
  const block = Math.min(MAX_BLOCK, Math.ceil(n / 32) * 32);
  return { block, perThread: Math.ceil(n / block) };
}

/** Shared memory the dense sparse backward keeps per neuron: δ and the scattered ∂L/∂V, and the
 *  surrogate g where the neuron model's inject reads it (ALIF: templates/cuda/kernels/
 *  backward-sparse-lif.hbs). */
export const sharedBytesPerNeuron = (injectReadsSurrogate: boolean) => (injectReadsSurrogate ? 12 : 8);

/** Shared memory of a dense stage's backward besides the input cache: the per-neuron arrays, two
 *  offset tables, a bitmask of steps and some slack. */
const backwardShared = (T: number, nOut: number, perNeuron: number) => perNeuron * nOut + 8 * (T + 1) + 4 * (T / 32 + 1) + 1024;

/** The most neurons a dense stage may have for its sparse backward's shared arrays and the
 *  smallest input cache to fit in the static budget: one event after its offset table (events
 *  input), or one word (spikes from the layer below, not cached). */
export function maxSharedNeurons(T: number, perNeuron: number, events: boolean): number {
  return Math.floor((SHARED_BUDGET - backwardShared(T, 0, perNeuron) - (events ? 4 * (T + 1) + 4 : 4)) / perNeuron);
}

/**
 * How much of a sample's input the kernels of a stage stage in shared memory: up to
 * MAX_EVENT_CACHE events, or the whole spike bitmask of the layer below, within what the stage's
 * backward kernel leaves free (its per-neuron arrays, two offset tables).
 */
export function inputCache(T: number, nOut: number, fromWords: number, events: boolean, perNeuron = sharedBytesPerNeuron(false)) {
  const other = backwardShared(T, nOut, perNeuron);
  if (events) {
    const room = Math.floor((SHARED_BUDGET - other - 4 * (T + 1)) / 4);
    return { eventCache: Math.max(1, Math.min(MAX_EVENT_CACHE, room)), rowCache: false, rowCacheWords: 1 };
  }
  const fits = 4 * T * fromWords + other <= SHARED_BUDGET;
  return { eventCache: 0, rowCache: fits, rowCacheWords: fits ? T * fromWords : 1 };
}

export function launchOf(T: number, stage: (LifStageContext | ReadoutStageContext) & InputContext, fromNeurons: number): CudaDenseLaunch {
  const shape = threads(Math.min(stage.nOut, MAX_LAYER_SIZE));
  const perNeuron = sharedBytesPerNeuron(stage.kind === "lif" && stage.injectReadsSurrogate);
  return { ...shape, ...inputCache(T, stage.nOut, Math.ceil(fromNeurons / 32), stage.inputEvents, perNeuron), currentsMinBlocks: Math.max(1, Math.floor(1024 / shape.block)) };
}
