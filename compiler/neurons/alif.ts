// The adaptive LIF (ALIF; Bellec et al. 2018, LSNN; Yin, Corradi & Bohté 2021): two state variables
// per neuron, the membrane V and the adaptation a (docs/design.md §2.1):
//   a[0] = 0,  a[t+1] = ρ·a[t] + S[t],  ρ = exp(−Δt/τ_adapt),
//   θ[t] = V_th + β_a·a[t],  S[t] = H(V[t] − θ[t]),
// V as LIF's (leak, reset modes). The threshold-facing membrane the kernels read (model.ts) is
// V − β_a·a, so the spike, the active band |V − θ| < B_th and the surrogate g use V − θ.
// Backward: the adjoint is (δ, λ_a, π) with δ = ∂L/∂V[t+1] as LIF's, λ_a = ∂L/∂a[t+2] at the visit of
// step t (before its injection) and π the injection of that visit into ∂L/∂a[t+1], which is one ρ
// behind λ_a. At an active neuron-time (entry of step t+1, surrogate g, e = g·∂L/∂S from outside):
//   ∂L/∂S[t+1] gains λ_a (S feeds a[t+2] with gain 1): e' = e + g·λ_a;  δ += e';  π −= β_a·e'.
// One quiet step maps (δ, λ_a, π) ← (α·δ, ρ·λ_a + π, 0), so n steps (n ≥ 1) are (αⁿ, ρⁿ, ρⁿ⁻¹): the
// propagator table. Exact: a's recurrence is linear; the SSGD truncation is g's alone (design §2.1).
// Its C++ hooks are templates/shared/neurons/alif.hbs.
// Trained adaptation ("learn_adapt"): ρ and β_a per neuron, as tensors ra<k> and ba<k>
// (compiler/layers/decay.ts), trained from ∂L/∂β_a = Σ e'·(−a[t]) and ∂L/∂ρ = Σ e'·(−β_a·P_a[t−1])
// over the active entries, P_a[m] = ρ·P_a[m−1] + a[m] a forward trace; the injection into a's
// adjoint is then kept as −e' and the neuron's β_a moves into the propagator, (αⁿ, ρⁿ, β_a·ρⁿ⁻¹).

import { alphaBounds } from "../spec/tau.ts";
import { lowerMembrane, membraneConstants, verifyMembrane } from "./membrane.ts";
import type { MembraneParams, NeuronModel } from "./model.ts";

/** Trained adaptation (`"learn_adapt": true`; docs/design.md §2.1): the layer holds ρ and β_a per
 *  neuron as tensors (ra<k>, ba<k>), starting from the layer's values, trained with Adam and clamped
 *  after every step, ρ to [rhoMin, rhoMax] (τ_adapt in [Δt, 1000·Δt], as α) and β_a to ≥ 0. */
export interface LearnedAdaptation {
  /** ρ(τ_min) and ρ(τ_max) as float32 (compiler/spec/tau.ts). */
  rhoMin: number;
  rhoMax: number;
}

export interface AlifNeuron extends MembraneParams {
  model: "alif";
  tauAdaptMs: number;
  /** exp(−Δt/τ_adapt), the adaptation's decay per step. */
  rho: number;
  /** β_a: the threshold rises by β_a per unit of adaptation. */
  betaAdapt: number;
  /** Present only when ρ and β_a are trained per neuron (absent keeps older layers' IR as it was). */
  learnAdapt?: LearnedAdaptation;
}

/** β_a when the spec leaves it out (Bellec et al. 2018 and Yin et al. 2021 use 1.8). */
export const DEFAULT_BETA_ADAPT = 1.8;

export const alif: NeuronModel<AlifNeuron> = {
  model: "alif",
  matches: (n) => n.tau_adapt_ms !== undefined,
  lower: (n, dtMs) => ({
    model: "alif",
    ...lowerMembrane(n, dtMs),
    tauAdaptMs: n.tau_adapt_ms!,
    rho: Math.exp(-dtMs / n.tau_adapt_ms!),
    betaAdapt: n.beta_adapt ?? DEFAULT_BETA_ADAPT,
    ...(n.learn_adapt === true ? { learnAdapt: learnedAdaptation(dtMs) } : {}),
  }),
  verify(p, fail) {
    verifyMembrane(p, fail);
    if (!(p.rho > 0 && p.rho < 1)) fail(`ρ = ${p.rho} outside (0, 1)`);
    if (!(p.betaAdapt >= 0 && Number.isFinite(p.betaAdapt))) fail(`β_a = ${p.betaAdapt} is not a finite number ≥ 0`);
    if (p.learnAdapt && !(p.learnAdapt.rhoMin > 0 && p.learnAdapt.rhoMin < p.learnAdapt.rhoMax && p.learnAdapt.rhoMax < 1)) fail("trained ρ without a range inside (0, 1)");
  },
  constants: (p) => [
    ...membraneConstants(p),
    { name: "RHO", value: p.rho, note: "exp(−Δt/τ_adapt), adaptation decay" },
    { name: "BETA_A", value: p.betaAdapt, note: "threshold V_th + β_a·a" },
  ],
  propagatorWidth: 3,
  propagator: (p, steps) => alifPropagator(p.alpha, p.rho, steps).flat(),
  // The threshold moves: a decays after a spike, so the threshold falls back while V leaks, and no
  // bound on V alone keeps a neuron out of the band.
  quietBelow: () => null,
  injectReadsSurrogate: true,
  checkSpec(resolved) {
    const found = [];
    if (resolved.tau_adapt_ms !== undefined && resolved.tau_syn_ms !== undefined)
      found.push({
        field: "tau_adapt_ms",
        message: "an adaptive threshold (tau_adapt_ms) cannot go with current-based synapses (tau_syn_ms): snnc has no ALIF neuron with CuBa synapses",
        hint: "remove tau_syn_ms for an ALIF layer, or tau_adapt_ms for a CuBa layer",
      });
    // Per-neuron α's gradient (design §2.1) reads the injection into δ, which ALIF's inject changes
    // (e' = e + g·λ_a): the two are not combined yet.
    if (resolved.tau_adapt_ms !== undefined && typeof resolved.tau_ms === "object")
      found.push({
        field: "tau_ms",
        message: "a per-neuron tau_ms cannot go with an adaptive threshold (tau_adapt_ms) yet: snnc has no per-neuron τ for ALIF layers",
        hint: "write one number for tau_ms in an ALIF layer, or remove tau_adapt_ms",
      });
    if (resolved.learn_adapt === true && resolved.tau_adapt_ms === undefined)
      found.push({
        field: "learn_adapt",
        message: "learn_adapt trains an adaptive threshold, and this layer has none (no tau_adapt_ms)",
        hint: "add tau_adapt_ms to make the layer adaptive, or remove learn_adapt",
      });
    if (resolved.beta_adapt !== undefined && resolved.tau_adapt_ms === undefined)
      found.push({
        field: "beta_adapt",
        message: "beta_adapt has no effect without tau_adapt_ms (it scales the adaptation of an ALIF neuron)",
        hint: "add tau_adapt_ms to make the layer adaptive, or remove beta_adapt",
      });
    return found;
  },
};

/** The clamp of a trained ρ: [ρ(Δt), ρ(1000·Δt)], α's range (compiler/spec/tau.ts). */
export function learnedAdaptation(dtMs: number): LearnedAdaptation {
  const [rhoMin, rhoMax] = alphaBounds(dtMs);
  return { rhoMin, rhoMax };
}

/** (αⁿ, ρⁿ, ρⁿ⁻¹) for n = 0 … steps (n = 0: (1, 1, 0); propagate is never asked for 0 steps). */
export function alifPropagator(alpha: number, rho: number, steps: number): [number, number, number][] {
  const out: [number, number, number][] = [[1, 1, 0]];
  for (let n = 1; n <= steps; n++) out.push([alpha ** n, rho ** n, rho ** (n - 1)]);
  return out;
}
