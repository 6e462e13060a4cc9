// How the CUDA kernels lay out the conv and max-pool stages. A conv layer has far more neurons
// than registers hold (fmnist-conv: 50,176 per sample), so its kernels keep one block per sample
// but sweep the layer in chunks of BLOCK neurons at each step, with each sample's state (forward)
// or adjoint (backward) in a device scratch of CONV_WORK_BYTES per sample (kernels.cu). Sweeping
// in neuron order at each step records the active set exactly as the dense kernels do.

import type { InputContext, LifStageContext, PoolStageContext } from "../context/types.ts";
import type { CudaLaunch } from "./launch.ts";

/** Threads per block of a conv stage: a wide sweep per step (at most 16 warps). */
const CONV_BLOCK = 512;
const POOL_BLOCK = 256;
/** A conv's weights (and its ∇W accumulator) are staged in shared memory up to this many floats. */
const MAX_SHARED_WEIGHTS = 4096;
const SHARED_BUDGET = 46 * 1024;
const MAX_EVENT_CACHE = 8192;

export interface CudaConvLaunch extends CudaLaunch {
  /** W and the block's ∇W accumulator live in shared memory (else W is read from global memory and
   * ∇W is accumulated with global atomics). */
  sharedWeights: boolean;
  /** The size of each of those two shared arrays (1 when not staged). */
  sharedWeightsSize: number;
}

function block(n: number, max: number): number {
  return Math.min(max, Math.ceil(n / 32) * 32);
}

export function convLaunchOf(T: number, stage: LifStageContext & InputContext, fromNeurons: number): CudaConvLaunch {
  const sharedWeights = stage.weightSize <= MAX_SHARED_WEIGHTS;
  const sharedWeightsSize = sharedWeights ? stage.weightSize : 1;
  // Shared memory of the largest conv kernel (the sparse backward) besides the staged input:
  // W and ∇W, two offset tables, the chunk counts.
  const other = 8 * sharedWeightsSize + 8 * (T + 1) + 1024;
  const fromWords = Math.ceil(fromNeurons / 32);
  const input = stage.inputEvents
    ? { eventCache: Math.max(1, Math.min(MAX_EVENT_CACHE, Math.floor((SHARED_BUDGET - other - 4 * (T + 1)) / 4))), rowCache: false, rowCacheWords: 1 }
    : 4 * T * fromWords + other <= SHARED_BUDGET
      ? { eventCache: 0, rowCache: true, rowCacheWords: T * fromWords }
      : { eventCache: 0, rowCache: false, rowCacheWords: 1 };
  return { block: block(stage.nOut, CONV_BLOCK), perThread: 1, ...input, sharedWeights, sharedWeightsSize };
}

export function poolLaunchOf(stage: PoolStageContext): { block: number; perThread: number } {
  return { block: block(stage.nOut, POOL_BLOCK), perThread: 1 };
}
