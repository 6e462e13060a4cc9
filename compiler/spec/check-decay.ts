// The leak factors α = exp(−Δt/τ) and α_syn = exp(−Δt/τ_syn) must lie strictly between 0 and 1
// once the kernels hold them in float32. A time written in seconds in a `_ms` field (tau_ms 0.001
// for 1 ms) gives α = 0 (the membrane forgets everything each step), and a τ some 10⁷ steps long
// gives α = 1 (no leak at all, and a readout's 1 − α input scale of 0). Neither is a network the
// user meant, and before this rule the IR's own check caught them as an "internal error".
// Each problem points at the τ the layer takes its α from (its own field, the readout's, or the
// top-level neuron's), or at time.dt_ms when that τ is the default.

import { DEFAULT_NEURON, resolveNeuron } from "./defaults.ts";
import { pointerOf, type Finding } from "./problem.ts";
import { isTauDistribution } from "./tau.ts";
import type { NetworkSpec, NeuronParams } from "./types.ts";

/** A τ the spec uses, and where it was written (null: the default). */
interface UsedTau {
  value: number;
  at: string | null;
  field: "tau_ms" | "tau_syn_ms";
}

export function checkDecay(spec: NetworkSpec): Finding[] {
  const dt = spec.time.dt_ms;
  const found: Finding[] = [];
  for (const tau of usedTaus(spec)) {
    const problem = decayProblem(dt, tau);
    if (problem) found.push(problem);
  }
  return found;
}

/** exp(−Δt/τ) as the kernels hold it, and whether that is 0 or 1. */
export function float32Decay(dtMs: number, tauMs: number): { alpha: number; roundsTo: 0 | 1 | null } {
  const alpha = Math.fround(Math.exp(-dtMs / tauMs));
  return { alpha, roundsTo: alpha === 0 ? 0 : alpha === 1 ? 1 : null };
}

function decayProblem(dt: number, tau: UsedTau): Finding | null {
  const { roundsTo } = float32Decay(dt, tau.value);
  if (roundsTo === null) return null;
  const symbol = tau.field === "tau_ms" ? "α" : "α_syn";
  const what = tau.field === "tau_ms" ? "membrane" : "synaptic current";
  const effect = roundsTo === 0 ? `the ${what} would forget everything at every step` : `the ${what} would never decay`;
  const exponent = `exp(−${dt}/${tau.value})`;
  if (tau.at === null) {
    return {
      pointer: "/time/dt_ms",
      message: `with the default ${tau.field} of ${tau.value} ms, ${symbol} = ${exponent} rounds to ${roundsTo} in float32: ${effect}`,
      hint: "Δt is in milliseconds; write tau_ms in the neuron when the default does not fit this step",
    };
  }
  const hint =
    roundsTo === 0
      ? `τ and Δt are in milliseconds: ${tau.value} ms is ${Number((tau.value * 1000).toPrecision(12))} µs, so a time written in seconds is 1000 times too small`
      : tau.field === "tau_ms"
        ? `τ is in milliseconds; for a neuron without leak write "leak": false`
        : "τ is in milliseconds; for no synaptic filter leave tau_syn_ms out";
  return {
    pointer: `${tau.at}/${tau.field}`,
    message: `${tau.field} = ${tau.value} with time.dt_ms = ${dt} gives ${symbol} = ${exponent}, which rounds to ${roundsTo} in float32: ${effect}`,
    hint,
  };
}

/** Every τ an α is computed from, with the most specific place it was written (defaults.ts's
 *  inheritance: layer neuron over top-level neuron; a readout's own fields over both, and a
 *  readout never inherits the top-level tau_syn_ms). */
function usedTaus(spec: NetworkSpec): UsedTau[] {
  const out: UsedTau[] = [];
  const first = (field: UsedTau["field"], places: [Partial<NeuronParams> | undefined, string][]): void => {
    for (const [obj, at] of places) {
      const v = obj?.[field];
      // A per-neuron τ (a distribution) has its own range rule: check-tau.ts.
      if (isTauDistribution(v)) return;
      if (v !== undefined) return void out.push({ value: v, at, field });
    }
    if (field === "tau_ms") out.push({ value: DEFAULT_NEURON.tau_ms as number, at: null, field });
  };
  const top: [Partial<NeuronParams> | undefined, string] = [spec.neuron, "/neuron"];
  spec.layers.forEach((layer, index) => {
    const here = pointerOf("layers", index);
    if (layer.kind === "dense" || layer.kind === "conv") {
      const places: [Partial<NeuronParams> | undefined, string][] = [[layer.neuron, `${here}/neuron`], top];
      if (resolveNeuron(spec.neuron, layer.neuron).leak !== false) first("tau_ms", places);
      first("tau_syn_ms", places);
    } else if (layer.kind === "readout") {
      const own = { tau_ms: layer.tau_ms, tau_syn_ms: layer.tau_syn_ms };
      if (layer.spiking) {
        const { tau_syn_ms: _notInherited, ...topNoSyn } = spec.neuron ?? {};
        const places: [Partial<NeuronParams> | undefined, string][] = [[own, here], [layer.neuron, `${here}/neuron`], [topNoSyn, "/neuron"]];
        if (resolveNeuron(spec.neuron, layer.neuron).leak !== false) first("tau_ms", places);
        first("tau_syn_ms", places);
      } else {
        // A non-spiking readout always leaks, with its own τ or the top-level neuron's.
        first("tau_ms", [[own, here], top]);
        first("tau_syn_ms", [[own, here]]);
      }
    }
  });
  return out;
}
