// The arithmetic of a bench result: per-phase times from the per-kernel medians, speed-ups and
// memory saved. Pure functions, so the tests can check them on made-up timings.

import type { StepTiming } from "./bench.ts";

export interface Phases {
  /** Forward kernels of every layer, readout and loss. */
  forwardMs: number;
  /** Gradient zeroing and the backward kernels. */
  backwardMs: number;
  /** The optimiser's kernels. */
  adamMs: number;
  /** Median wall time of one whole training step. */
  stepMs: number;
}

export function kernelPhase(name: string): "forward" | "backward" | "adam" | "other" {
  if (name.startsWith("forward_") || name === "loss") return "forward";
  if (name.startsWith("backward_") || name === "zero_gradients") return "backward";
  if (name.startsWith("adam_")) return "adam";
  return "other";
}

export function phases(t: StepTiming): Phases {
  const sum = (phase: string) => t.kernels.filter(([n]) => kernelPhase(n) === phase).reduce((a, [, ms]) => a + ms, 0);
  return { forwardMs: sum("forward"), backwardMs: sum("backward"), adamMs: sum("adam"), stepMs: t.stepMs.median };
}

/** dense / sparse: how many times faster the sparse path is (NaN when either is missing or 0). */
export function speedup(sparseMs: number, denseMs: number): number {
  return sparseMs > 0 && denseMs > 0 ? denseMs / sparseMs : NaN;
}

/** The paper's eq. (14): 100·(1 − sparse/dense), in percent. */
export function memorySaved(sparseBytes: number, denseBytes: number): number {
  return denseBytes > 0 ? 100 * (1 - sparseBytes / denseBytes) : NaN;
}

export interface Speedups {
  backward: number;
  /** Forward + backward kernels (the paper's "overall layer speed-up"). */
  forwardBackward: number;
  step: number;
}

export function speedups(sparse: Phases, dense: Phases): Speedups {
  return {
    backward: speedup(sparse.backwardMs, dense.backwardMs),
    forwardBackward: speedup(sparse.forwardMs + sparse.backwardMs, dense.forwardMs + dense.backwardMs),
    step: speedup(sparse.stepMs, dense.stepMs),
  };
}
