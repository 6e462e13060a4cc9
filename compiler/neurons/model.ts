// What a neuron model provides. A layer of spiking neurons names its model; lowering, the IR
// verifier and the render context ask the model, and the kernels call the C++ hooks of its
// partial (templates/shared/neurons/<model>.hbs), so no kernel template names a neuron model:
//   State, membrane(state), advance(state, current, spiked)              the forward
//   Adjoint, drive(adjoint), propagate(adjoint, p), inject(adjoint, e, g) the backward
// where propagate applies PROPAGATOR_WIDTH values of the model's between-events propagator
// (Proposition 1: with no event for n steps, the adjoint evolves by a fixed linear map).
//
// The threshold is the model's: the kernels decide the spike, the active band and the surrogate on
// membrane(state) − V_TH (fires, is_active, surrogate in network.h), and membrane(state) is the
// model's *threshold-facing* membrane, the value whose distance to the layer's constant V_TH is the
// distance to this step's threshold. For LIF and CuBa it is V itself; a model whose threshold moves
// (ALIF: θ[t] = V_th + β_a·a[t]) returns V − (θ[t] − V_th), so every kernel, the recorded trace and
// the dense backward's g (read from that trace) follow its threshold without naming it. inject gets
// g beside e = g·∂L/∂S[t] for a model whose spike feeds its own state (ALIF's adaptation), whose
// ∂L/∂S[t] then has a term of the model's own (injectReadsSurrogate).

import type { NeuronParams, ResetMode, TauDistribution } from "../spec/types.ts";

export interface NeuronConstant {
  /** The C name inside the layer's namespace. */
  name: string;
  value: number;
  note: string;
}

/** A decay factor held per neuron (docs/design.md §2.1): the layer gets a tensor of one α per
 *  neuron, drawn from `init` (clamped to [alphaMin, alphaMax]), which the kernels read instead of
 *  the layer's constant; with `learn` it is trained (∂L/∂α from the forward traces) and clamped
 *  to the same range after every Adam step. */
export interface PerNeuronTau {
  init: TauDistribution;
  learn: boolean;
  /** α(τ_min) and α(τ_max) as float32 (compiler/spec/tau.ts). */
  alphaMin: number;
  alphaMax: number;
}

/** The fields every model's resolved parameters share: the membrane's base threshold, active band and
 * surrogate. The spike, the active set and g are functions of membrane(state) − V_th for every model,
 * membrane(state) being the model's threshold-facing membrane (above): a model with a moving
 * threshold folds the move into it. */
export interface MembraneParams {
  /** null: no leak (integrate-and-fire). The nominal τ when it is per neuron. */
  tauMs: number | null;
  /** exp(−Δt/τ); exactly 1 without leak. exp(−Δt/nominal τ) when it is per neuron. */
  alpha: number;
  /** Present only when α is per neuron (absent keeps older layers' IR as it was). */
  tauPerNeuron?: PerNeuronTau;
  /** false: integrate-and-fire (α = 1), asked for with `"leak": false`. */
  leak: boolean;
  /** "subtract": V[t+1] −= V_th − V_r after a spike at t; "subtract_same_step": the update starts
   * from V[t] − (V_th − V_r), so the subtracted amount leaks too; "to_reset": the update starts
   * from V_r instead of V[t]. None is differentiated (docs/design.md §2). */
  reset: ResetMode;
  vTh: number;
  vReset: number;
  vRest: number;
  /** V_th − V_r: subtracted from V after each spike (not differentiated). */
  resetAmount: number;
  /** Half-width of the active band: a neuron-time is active when |V − V_th| < bTh (V the
   *  threshold-facing membrane). */
  bTh: number;
  /** Surrogate g(V) = 1 / (β·|V − V_th| + 1)² (V likewise). */
  beta: number;
}

export interface NeuronModel<P extends MembraneParams & { model: string }> {
  model: P["model"];
  /** Whether a layer's resolved spec neuron asks for this model. */
  matches(spec: NeuronParams): boolean;
  lower(spec: NeuronParams, dtMs: number): P;
  verify(p: P, fail: (msg: string) => never): void;
  /** The constants the hooks use, as the kernels name them (float32 literals in the kernels). */
  constants(p: P): NeuronConstant[];
  /** Values per entry of the propagator table. */
  propagatorWidth: number;
  /** The propagator across n = 0 … steps quiet steps, flattened (propagatorWidth values each). */
  propagator(p: P, steps: number): number[];
  /** The float32 membrane at or below which a neuron of this model without input can neither
   *  spike nor be active again (whatever else its state holds), or null when no such bound is
   *  known; the CPU forward lets words of such neurons wait (compiler/neurons/quiet-bound.ts). */
  quietBelow(p: P): number | null;
  /** Whether the model's `inject` reads the surrogate g of the entry, not only e = g·∂L/∂S: its
   *  spike feeds a state of its own, so ∂L/∂S[t] gains that state's adjoint (a kernel that stages
   *  the entries per neuron then stages g too). */
  injectReadsSurrogate: boolean;
  /** The model's own cross-field rules on a spiking layer's resolved spec neuron (`own`: the
   *  layer's own fields, `resolved`: after inheriting the top level), each naming its field; run
   *  for every model on every spiking layer by compiler/spec/check-neurons.ts. */
  checkSpec?(resolved: NeuronParams, own: Partial<NeuronParams>): SpecNeuronFinding[];
}

/** A problem with one field of a layer's neuron, found by a model's `checkSpec`. */
export interface SpecNeuronFinding {
  field: string;
  message: string;
  hint?: string;
}
