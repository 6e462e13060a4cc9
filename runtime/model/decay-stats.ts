// τ of a per-neuron decay tensor (α per neuron, docs/design.md §2.1): τ = −Δt/ln α, for
// `snnc inspect`, checkpoints' readers and NIR export.

import { tauOfAlpha } from "../../compiler/layers/decay.ts";

export interface DecayStats {
  min: number;
  mean: number;
  max: number;
}

/** min / mean / max of τ (ms) over the neurons of one α tensor. */
export function decayStats(alpha: Float32Array, dtMs: number): DecayStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const a of alpha) {
    const tau = tauOfAlpha(a, dtMs);
    min = Math.min(min, tau);
    max = Math.max(max, tau);
    sum += tau;
  }
  return { min, mean: sum / alpha.length, max };
}
