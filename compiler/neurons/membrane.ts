// What every model of the LIF family resolves, checks and hands the kernels about its membrane:
// leak (α = exp(−Δt/τ), or 1 without leak), threshold, reset mode, active band and surrogate.
// lif.ts and cuba-lif.ts build on it, so the two models cannot drift apart on the shared part.

import { alphaBounds, isTauDistribution, tauValue } from "../spec/tau.ts";
import type { NeuronParams, TauSpec } from "../spec/types.ts";
import type { MembraneParams, NeuronConstant, PerNeuronTau } from "./model.ts";

/** The per-neuron description of a τ written as a distribution, or nothing for a plain number. */
export function perNeuronTau(t: TauSpec, dtMs: number): { tauPerNeuron: PerNeuronTau } | Record<string, never> {
  if (!isTauDistribution(t)) return {};
  const [alphaMin, alphaMax] = alphaBounds(dtMs);
  return { tauPerNeuron: { init: t, learn: t.learn === true, alphaMin, alphaMax } };
}

export function lowerMembrane(n: NeuronParams, dtMs: number): MembraneParams {
  const leak = n.leak !== false;
  const tau = tauValue(n.tau_ms);
  return {
    tauMs: leak ? tau : null,
    alpha: leak ? Math.exp(-dtMs / tau) : 1,
    ...(leak ? perNeuronTau(n.tau_ms, dtMs) : {}),
    leak,
    reset: n.reset ?? "subtract",
    vTh: n.v_th,
    vReset: n.v_reset,
    vRest: n.v_rest,
    resetAmount: n.v_th - n.v_reset,
    bTh: n.b_th,
    beta: n.surrogate_beta,
  };
}

export function verifyMembrane(p: MembraneParams, fail: (msg: string) => never): void {
  if (p.leak && !(p.alpha > 0 && p.alpha < 1)) fail(`α = ${p.alpha} outside (0, 1)`);
  if (!p.leak && (p.alpha !== 1 || p.tauMs !== null)) fail("a neuron without leak must have α = 1 and no τ");
  if (Math.abs(p.resetAmount - (p.vTh - p.vReset)) > 1e-12) fail("reset amount ≠ V_th − V_r");
  if (!(p.bTh > 0)) fail("B_th ≤ 0");
}

/** The membrane's constants. The list for a leaky, subtracting neuron is the paper's LIF as it
 * always was (so its kernels do not change by a byte); V_R is added only for `to_reset`. */
export function membraneConstants(p: MembraneParams): NeuronConstant[] {
  return [
    { name: "ALPHA", value: p.alpha, note: p.leak ? "exp(−Δt/τ)" : "no leak (integrate-and-fire)" },
    { name: "V_TH", value: p.vTh, note: "" },
    { name: "V_REST", value: p.vRest, note: "" },
    { name: "RESET", value: p.resetAmount, note: "V_th − V_r, subtracted after a spike" },
    ...(p.reset === "to_reset" ? [{ name: "V_R", value: p.vReset, note: "a spike restarts the membrane from V_r (reset to_reset)" }] : []),
    { name: "B_TH", value: p.bTh, note: "active band |V − V_th| < B_th" },
    { name: "BETA", value: p.beta, note: "surrogate sharpness" },
  ];
}
