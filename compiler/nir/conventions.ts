// How NIR's continuous neurons become snnc's discrete ones and back (docs/design.md §8):
//
//   NIR:  τ·dv/dt = (v_leak − v) + r·I          snnc: V[t+1] = α·(V[t] − V_rest) + V_rest + Σ W·S
//   exact:  α = exp(−dt/τ),  W_snnc = r·(1 − α)·W_nir
//   euler:  α = 1 − dt/τ,    W_snnc = r·(dt/τ)·W_nir
//
// dt is not in a NIR file, so the user gives it; τ in the file is in seconds. snnc's spec holds
// τ in ms and always means α = exp(−Δt/τ), so an Euler import writes the τ whose exponential is
// 1 − dt/τ_nir. An export writes r = 1/(1 − α), i.e. a per-step input gain of exactly 1, so the
// file's weights are snnc's weights (W_nir = W_snnc) under either discretisation.
// CubaLIF's synapse has the same form with τ_syn and w_in (gains multiply); IF has no leak and a
// gain of dt·r or r per step (--if-gain); the reset mode is not in the file (--reset).
// That is NIR's definition. A framework's own simulator may add W·x to its state as it is (gain 1,
// r and w_in unused: snnTorch, Rockpool, Spyx, Lava) or decay it once first (Rockpool's synapse):
// `inputGain` says which, per node kind (frameworks.ts holds each framework's choice).

import type { ResetMode } from "../spec/types.ts";
import { NirError } from "./graph.ts";

export type { ResetMode };
export type Discretization = "exact" | "euler";
/** How an IF node's r reads (docs/design.md §8): NIR's literal dv/dt = r·I, i.e. v += dt·r·I per
 *  step, or Sinabs' per-step v += r·I (what the NIR paper's CNN was written with). */
export type IfGain = "literal" | "per-step";

/** "nir": the file's r (or w_in) through the discretisation, r·(1 − α) or r·dt/τ; "one": 1, the
 *  framework adds W·x to the state as it is; "alpha_syn" (synapse only): α_syn, the framework
 *  adds the input to the current and decays it once before the membrane reads it (Rockpool). */
export type GainMode = "nir" | "one" | "alpha_syn";

/** The per-step gain on a neuron node's input, per kind: the membrane of LIF and CubaLIF (`lif`),
 *  of LI and CubaLI (`li`), and the synaptic current of CubaLIF and CubaLI (`synapse`). */
export interface InputGain {
  lif: "nir" | "one";
  li: "nir" | "one";
  synapse: GainMode;
}

/** NIR's own definition, everywhere. */
export const NIR_GAIN: Readonly<InputGain> = Object.freeze({ lif: "nir", li: "nir", synapse: "nir" });

export interface Conventions {
  /** The simulation step in ms (NIR files do not store it). */
  dtMs: number;
  discretization: Discretization;
  reset: ResetMode;
  /** IF nodes only; default "literal". */
  ifGain?: IfGain;
  /** Default NIR_GAIN. */
  inputGain?: InputGain;
}

/** Reset modes snnc has: `subtract` is snnTorch's (reset_delay=True) and Spyx's,
 *  `subtract_same_step` snnTorch's with reset_delay=False, Rockpool's and Sinabs', `to_reset`
 *  NIR's own, Norse's and Lava's. */
export const SUPPORTED_RESETS: readonly ResetMode[] = ["subtract", "subtract_same_step", "to_reset"];
export const IF_GAINS: readonly IfGain[] = ["literal", "per-step"];

export function checkConventions(c: Conventions): void {
  if (!(c.dtMs > 0) || !Number.isFinite(c.dtMs)) throw new NirError(`--dt-ms must be a positive number of milliseconds, got ${c.dtMs}`);
  if (!SUPPORTED_RESETS.includes(c.reset))
    throw new NirError(`--reset ${c.reset}: snnc has no "${c.reset}" reset mode; use --reset subtract, subtract_same_step or to_reset`);
  if (c.ifGain !== undefined && !IF_GAINS.includes(c.ifGain)) throw new NirError(`--if-gain ${c.ifGain}: use --if-gain literal or per-step`);
  const g = c.inputGain;
  if (g !== undefined && !(["nir", "one"].includes(g.lif) && ["nir", "one"].includes(g.li) && ["nir", "one", "alpha_syn"].includes(g.synapse)))
    throw new NirError(`--input-gain: use --input-gain nir or one`);
}

/** The per-step factor on an IF node's input: dt·r (dt in seconds) read literally, r per step. */
export function ifInputGain(r: number, c: Conventions): number {
  return (c.ifGain ?? "literal") === "literal" ? r * (c.dtMs / 1000) : r;
}

/** The IF r that makes the per-step input gain 1 under `c`. */
export function ifUnitR(c: Conventions): number {
  return (c.ifGain ?? "literal") === "literal" ? 1000 / c.dtMs : 1;
}

/** ms values derived from seconds carry float noise (0.0073·1000 = 7.300000000000001); 12
 *  significant digits keep every value a person wrote and make a round trip exact. */
export function round12(x: number): number {
  return Number(x.toPrecision(12));
}

/** 1 − α of one step for a NIR τ (seconds), without cancellation when dt ≪ τ. */
export function oneMinusAlpha(tauS: number, c: Conventions): number {
  const x = c.dtMs / 1000 / tauS;
  return c.discretization === "exact" ? -Math.expm1(-x) : x;
}

/** The per-step factor on a neuron's input read NIR's way: W_snnc = r·(1 − α)·W_nir. */
export function inputGain(r: number, tauS: number, c: Conventions): number {
  return r * oneMinusAlpha(tauS, c);
}

/** The per-step factor on the input of a membrane of `kind` under the conventions' input gain. */
export function membraneGain(kind: "lif" | "li", r: number, tauS: number, c: Conventions): number {
  return (c.inputGain ?? NIR_GAIN)[kind] === "nir" ? inputGain(r, tauS, c) : 1;
}

/** Whether a membrane of `kind` with r = 1 everywhere is NIR's τ·dv/dt = −v + I, i.e. snnc's
 *  readout input scale (1 − α) with the weights as they are. */
export function unitMembrane(kind: "lif" | "li", r: Float64Array, c: Conventions): boolean {
  return (c.inputGain ?? NIR_GAIN)[kind] === "nir" && r.every((x) => x === 1);
}

/** The per-step factor on a CubaLIF/CubaLI synaptic current's input (τ_syn in seconds). */
export function synapseGain(wIn: number, tauSynS: number, c: Conventions): number {
  const mode = (c.inputGain ?? NIR_GAIN).synapse;
  if (mode === "one") return 1;
  if (mode === "alpha_syn") return c.discretization === "exact" ? Math.exp(-c.dtMs / 1000 / tauSynS) : 1 - c.dtMs / 1000 / tauSynS;
  return inputGain(wIn, tauSynS, c);
}

/** snnc's tau_ms for a NIR τ (seconds): the τ with exp(−Δt/τ) = α of the chosen discretisation. */
export function specTauMs(tauS: number, c: Conventions): number {
  if (c.discretization === "exact") return round12(tauS * 1000);
  return round12(-c.dtMs / Math.log1p(-c.dtMs / 1000 / tauS));
}

/** Why a NIR τ cannot be discretised (null when it can). Euler needs dt < τ for 0 < α < 1. */
export function tauProblem(tauS: number, c: Conventions, key = "tau"): string | null {
  if (!(tauS > 0) || !Number.isFinite(tauS)) return `${key} is ${tauS}; it must be a positive number of seconds`;
  if (c.discretization === "euler" && !(c.dtMs / 1000 < tauS))
    return `${key} = ${tauS} s is not longer than dt = ${c.dtMs} ms, so Euler's α = 1 − dt/τ is not in (0, 1) (use --discretization exact)`;
  // The kernels hold α in float32: an α that rounds to 0 or 1 there is a neuron that forgets all
  // at every step or never leaks, which the spec's own rule (compiler/spec/check-decay.ts) refuses.
  // Said here with the flag and the node, since the file's τ or --dt-ms is what is off.
  const alpha = Math.fround(c.discretization === "exact" ? Math.exp(-c.dtMs / 1000 / tauS) : 1 - c.dtMs / 1000 / tauS);
  if (alpha === 0 || alpha === 1) {
    const formula = c.discretization === "exact" ? "exp(−dt/τ)" : "1 − dt/τ";
    const effect = alpha === 0 ? "forgets everything at every step" : "never decays";
    return `${key} = ${tauS} s with --dt-ms ${c.dtMs} gives α = ${formula} = ${alpha} in float32, so the layer ${effect} (--dt-ms is in milliseconds, the file's τ in seconds)`;
  }
  return null;
}

/** The NIR τ (seconds) for snnc's tau_ms at step specDtMs, written for a file read with `c`:
 *  importing it with `c` gives back the same α per step. */
export function nirTauS(tauMs: number, specDtMs: number, c: Conventions): number {
  if (c.discretization === "exact") return (tauMs * (c.dtMs / specDtMs)) / 1000;
  return c.dtMs / 1000 / -Math.expm1(-specDtMs / tauMs);
}

/** r that makes the per-step input gain 1: 1/(1 − α) with α = exp(−Δt/τ) of the spec. */
export function unitGainR(tauMs: number, specDtMs: number): number {
  return 1 / -Math.expm1(-specDtMs / tauMs);
}
