// What a neuron model provides. A layer of spiking neurons names its model; lowering, the IR
// verifier and the render context ask the model, and the kernels call the C++ hooks of its
// partial (templates/shared/neurons/<model>.hbs), so no kernel template names a neuron model:
//   State, membrane(state), advance(state, current, spiked)           the forward
//   Adjoint, drive(adjoint), propagate(adjoint, p), inject(adjoint, e) the backward
// where propagate applies PROPAGATOR_WIDTH values of the model's between-events propagator
// (Proposition 1: with no event for n steps, the adjoint evolves by a fixed linear map).

import type { NeuronParams, ResetMode, TauDistribution } from "../spec/types.ts";

export interface NeuronConstant {
  /** The C name inside the layer's namespace. */
  name: string;
  value: number;
  note: string;
}

/** The fields every model's resolved parameters share: the membrane's threshold, active band and
 * surrogate (the spike, the active set and g(V) are the same for every model of the LIF family). */
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
  /** Half-width of the active band: a neuron-time is active when |V − V_th| < bTh. */
  bTh: number;
  /** Surrogate g(V) = 1 / (β·|V − V_th| + 1)². */
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
}
