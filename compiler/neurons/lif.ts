// The LIF neuron model, in one place: its constants resolved from the spec, its invariants, the
// constants the kernels get, and the propagator the sparse backward uses between events
// (Proposition 1: with no event, δ(t) = α·δ(t+1), so n quiet steps are one multiplication by αⁿ).
// Its C++ (the state update, the spike test, the surrogate) is templates/shared/neurons/lif.h.hbs.

import type { NeuronParams } from "../spec/types.ts";
import type { LifParams } from "../ir/types.ts";

export function lowerLif(n: NeuronParams, dtMs: number): LifParams {
  return {
    tauMs: n.tau_ms,
    alpha: Math.exp(-dtMs / n.tau_ms),
    vTh: n.v_th,
    vReset: n.v_reset,
    vRest: n.v_rest,
    resetAmount: n.v_th - n.v_reset,
    bTh: n.b_th,
    beta: n.surrogate_beta,
  };
}

export function verifyLif(p: LifParams, fail: (msg: string) => never): void {
  if (!(p.alpha > 0 && p.alpha < 1)) fail(`α = ${p.alpha} outside (0, 1)`);
  if (Math.abs(p.resetAmount - (p.vTh - p.vReset)) > 1e-12) fail("reset amount ≠ V_th − V_r");
  if (!(p.bTh > 0)) fail("B_th ≤ 0");
}

export interface NeuronConstant {
  /** The C name inside the layer's namespace. */
  name: string;
  value: number;
  note: string;
}

/** The constants of one LIF population as the kernels name them (float32 in the kernels). */
export function lifConstants(p: LifParams): NeuronConstant[] {
  return [
    { name: "ALPHA", value: p.alpha, note: "exp(−Δt/τ)" },
    { name: "V_TH", value: p.vTh, note: "" },
    { name: "V_REST", value: p.vRest, note: "" },
    { name: "RESET", value: p.resetAmount, note: "V_th − V_r, subtracted after a spike" },
    { name: "B_TH", value: p.bTh, note: "active band |V − V_th| < B_th" },
    { name: "BETA", value: p.beta, note: "surrogate sharpness" },
  ];
}

/** αⁿ for n = 0 … T: the decay of δ across n steps without an event. */
export function decayPowers(alpha: number, steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, n) => alpha ** n);
}
