// The LIF neuron model, in one place: its constants resolved from the spec, its invariants, the
// constants the kernels get, and the propagator the sparse backward uses between events
// (Proposition 1: with no event, δ(t) = α·δ(t+1), so n quiet steps are one multiplication by αⁿ).
// Its C++ hooks (state update, adjoint) are templates/shared/neurons/lif.hbs.

import type { MembraneParams, NeuronModel } from "./model.ts";

export interface LifNeuron extends MembraneParams {
  model: "lif";
}

export const lif: NeuronModel<LifNeuron> = {
  model: "lif",
  matches: () => true,
  lower: (n, dtMs) => ({
    model: "lif",
    tauMs: n.tau_ms,
    alpha: Math.exp(-dtMs / n.tau_ms),
    vTh: n.v_th,
    vReset: n.v_reset,
    vRest: n.v_rest,
    resetAmount: n.v_th - n.v_reset,
    bTh: n.b_th,
    beta: n.surrogate_beta,
  }),
  verify(p, fail) {
    if (!(p.alpha > 0 && p.alpha < 1)) fail(`α = ${p.alpha} outside (0, 1)`);
    if (Math.abs(p.resetAmount - (p.vTh - p.vReset)) > 1e-12) fail("reset amount ≠ V_th − V_r");
    if (!(p.bTh > 0)) fail("B_th ≤ 0");
  },
  constants: (p) => [
    { name: "ALPHA", value: p.alpha, note: "exp(−Δt/τ)" },
    { name: "V_TH", value: p.vTh, note: "" },
    { name: "V_REST", value: p.vRest, note: "" },
    { name: "RESET", value: p.resetAmount, note: "V_th − V_r, subtracted after a spike" },
    { name: "B_TH", value: p.bTh, note: "active band |V − V_th| < B_th" },
    { name: "BETA", value: p.beta, note: "surrogate sharpness" },
  ],
  propagatorWidth: 1,
  propagator: (p, steps) => Array.from({ length: steps + 1 }, (_, n) => p.alpha ** n),
};
