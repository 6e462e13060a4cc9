// Time constants that are a distribution over a layer's neurons (per-neuron τ), and the range a
// per-neuron α is kept in. docs/design.md §2.1: the trained quantity is α itself, clamped after
// every Adam step to [α(τ_min), α(τ_max)]; the same range bounds the draws of a distribution, so
// a drawn τ is never shorter than one step (α would fall towards 0: the neuron forgets its input
// within the step) nor so long that α rounds towards 1 in float32.

import type { TauDistribution, TauSpec } from "./types.ts";

/** τ_min = 1·Δt and τ_max = 1000·Δt: α ∈ [e⁻¹, e^(−1/1000)] ≈ [0.368, 0.9990]. */
export const TAU_MIN_STEPS = 1;
export const TAU_MAX_STEPS = 1000;

export function isTauDistribution(t: TauSpec | undefined): t is TauDistribution {
  return typeof t === "object" && t !== null;
}

/** The layer's nominal τ: the number itself, or the distribution's constant, mean, or the
 *  midpoint of its range. What a layer-wide constant (the header comment, ALPHA) is made of. */
export function tauValue(t: TauSpec): number {
  if (!isTauDistribution(t)) return t;
  switch (t.init) {
    case "constant":
      return t.value;
    case "gamma":
      return t.mean;
    case "uniform":
      return (t.min + t.max) / 2;
  }
}

/** [τ_min, τ_max] in milliseconds for a step of dtMs. */
export function tauBounds(dtMs: number): [number, number] {
  return [TAU_MIN_STEPS * dtMs, TAU_MAX_STEPS * dtMs];
}

/** [α(τ_min), α(τ_max)] as float32 values. */
export function alphaBounds(dtMs: number): [number, number] {
  const [lo, hi] = tauBounds(dtMs);
  return [Math.fround(Math.exp(-dtMs / lo)), Math.fround(Math.exp(-dtMs / hi))];
}
