// The current-based LIF (CuBa): two state variables per neuron, the synaptic current J and the
// membrane V (docs/design.md §2):
//   J[t+1] = α_syn·J[t] + I[t],   V[t+1] = α·(V[t] − V_rest) + V_rest + J[t+1] − reset,
// with I[t] the input current of step t (feed-forward + bias) and the reset acting on V only.
// Backward: the adjoint the kernels walk is (λ_V, μ) with λ_V(t) = ∂L/∂V[t+1] and
// μ(t) = α_syn·∂L/∂J[t+2], so ∂L/∂I[t] = ∂L/∂J[t+1] = λ_V(t) + μ(t). One quiet step maps
//   λ_V(t−1) = α·λ_V(t),   μ(t−1) = α_syn·(λ_V(t) + μ(t)),
// i.e. M = [[α, 0], [α_syn, α_syn]]; n quiet steps are Mⁿ = [[αⁿ, 0], [cₙ, α_synⁿ]], which the
// propagator table holds as (αⁿ, cₙ, α_synⁿ). A to_reset spike at t+1 cuts only the λ_V carry
// (∂V[t+2]/∂V[t+1] = 0), which in this form is exactly λ_V := 0 before this step's injection.
// Its C++ hooks are templates/shared/neurons/cuba-lif.hbs.

import { tauValue } from "../spec/tau.ts";
import { lowerMembrane, membraneConstants, perNeuronTau, verifyMembrane } from "./membrane.ts";
import type { MembraneParams, NeuronModel, PerNeuronTau } from "./model.ts";

export interface CubaLifNeuron extends MembraneParams {
  model: "cuba-lif";
  tauSynMs: number;
  /** exp(−Δt/τ_syn); of the nominal τ_syn when it is per neuron. */
  alphaSyn: number;
  /** Present only when α_syn is per neuron. */
  tauSynPerNeuron?: PerNeuronTau;
}

export const cubaLif: NeuronModel<CubaLifNeuron> = {
  model: "cuba-lif",
  matches: (n) => n.tau_syn_ms !== undefined,
  lower: (n, dtMs) => ({
    model: "cuba-lif",
    ...lowerMembrane(n, dtMs),
    tauSynMs: tauValue(n.tau_syn_ms!),
    alphaSyn: Math.exp(-dtMs / tauValue(n.tau_syn_ms!)),
    ...renamed(perNeuronTau(n.tau_syn_ms!, dtMs)),
  }),
  verify(p, fail) {
    verifyMembrane(p, fail);
    if (!(p.alphaSyn > 0 && p.alphaSyn < 1)) fail(`α_syn = ${p.alphaSyn} outside (0, 1)`);
  },
  constants: (p) => [...membraneConstants(p), { name: "ALPHA_SYN", value: p.alphaSyn, note: "exp(−Δt/τ_syn), synaptic decay" }],
  propagatorWidth: 3,
  propagator: (p, steps) => cubaPropagator(p.alpha, p.alphaSyn, steps).flat(),
  // The synaptic current J decays geometrically and is almost never exactly 0 again, so V keeps
  // being pushed: no membrane bound makes a CuBa neuron quiet.
  injectReadsSurrogate: false,
  quietBelow: () => null,
};

function renamed(p: { tauPerNeuron?: PerNeuronTau }): { tauSynPerNeuron?: PerNeuronTau } {
  return p.tauPerNeuron ? { tauSynPerNeuron: p.tauPerNeuron } : {};
}

/** (αⁿ, cₙ, α_synⁿ) for n = 0 … steps: the entries of Mⁿ, M = [[α, 0], [α_syn, α_syn]]. */
export function cubaPropagator(alpha: number, alphaSyn: number, steps: number): [number, number, number][] {
  const out: [number, number, number][] = [[1, 0, 1]];
  for (let n = 1; n <= steps; n++) {
    const [a, c, s] = out[n - 1];
    // Mⁿ = M·Mⁿ⁻¹: row 2 of M is (α_syn, α_syn).
    out.push([alpha * a, alphaSyn * a + alphaSyn * c, alphaSyn * s]);
  }
  return out;
}
