// The LIF neuron model, in one place: its constants resolved from the spec, its invariants, the
// constants the kernels get, and the propagator the sparse backward uses between events
// (Proposition 1: with no event, δ(t) = α·δ(t+1), so n quiet steps are one multiplication by αⁿ).
// Its C++ hooks (state update, adjoint) are templates/shared/neurons/lif.hbs. The membrane's part
// (leak or none, reset mode) is membrane.ts, shared with the CuBa model.

import { lowerMembrane, membraneConstants, verifyMembrane } from "./membrane.ts";
import type { MembraneParams, NeuronModel } from "./model.ts";
import { quietBound } from "./quiet-bound.ts";

export interface LifNeuron extends MembraneParams {
  model: "lif";
}

export const lif: NeuronModel<LifNeuron> = {
  model: "lif",
  matches: () => true,
  lower: (n, dtMs) => ({ model: "lif", ...lowerMembrane(n, dtMs) }),
  verify: verifyMembrane,
  constants: membraneConstants,
  propagatorWidth: 1,
  propagator: (p, steps) => Array.from({ length: steps + 1 }, (_, n) => p.alpha ** n),
  // A per-neuron α has no layer-wide bound (quiet-bound.ts reasons on one α).
  injectReadsSurrogate: false,
  quietBelow: (p) => (p.tauPerNeuron ? null : quietBound(p)),
};
