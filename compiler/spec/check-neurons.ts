// Cross-field rules of the neuron options beyond the paper's LIF (docs/design.md §2, "Layer kinds
// beyond the paper"): a layer without leak (integrate-and-fire, α = 1) has no τ and no resting
// potential, so a layer that writes either beside an effective `"leak": false` is told so rather
// than having the value silently ignored. The top-level neuron may carry both: a non-spiking readout,
// which always leaks, takes its τ and V_rest from there.

import { neuronModels } from "../neurons/index.ts";
import { resolveNeuron } from "./defaults.ts";
import { pointerOf, type Finding } from "./problem.ts";
import type { NetworkSpec, NeuronParams } from "./types.ts";

const UNUSED_WITHOUT_LEAK = ["tau_ms", "v_rest"] as const;

export function checkNeurons(spec: NetworkSpec): Finding[] {
  const found: Finding[] = [];
  spec.layers.forEach((layer, index) => {
    // A spiking readout's own neuron is a neuron like a hidden layer's (its readout-level tau_ms and
    // v_rest are the readout's fields, which a readout always has).
    if (layer.kind !== "dense" && layer.kind !== "conv" && !(layer.kind === "readout" && layer.spiking === true)) return;
    const own = layer.neuron;
    // Each neuron model's own rules (compiler/neurons/<model>.ts, checkSpec), on every spiking layer's
    // neuron as defaults.ts resolves it (a spiking readout: the top level less its tau_syn_ms, then
    // its neuron, then its own tau_ms, v_rest and tau_syn_ms; resolveNeuron skips undefined fields).
    const resolved =
      layer.kind === "readout"
        ? resolveNeuron({ ...spec.neuron, tau_syn_ms: undefined }, { ...own, tau_ms: layer.tau_ms, v_rest: layer.v_rest, tau_syn_ms: layer.tau_syn_ms })
        : resolveNeuron(spec.neuron, own ?? {});
    for (const model of neuronModels())
      for (const f of model.checkSpec?.(resolved, own ?? {}) ?? [])
        found.push({
          // The layer's own field, or the top-level one it inherited.
          pointer: own?.[f.field as keyof NeuronParams] !== undefined ? pointerOf("layers", index, "neuron", f.field) : pointerOf("neuron", f.field),
          message: f.message,
          ...(f.hint ? { hint: f.hint } : {}),
        });
    if (!own || resolved.leak !== false) return;
    for (const field of UNUSED_WITHOUT_LEAK) {
      if (own[field] === undefined) continue;
      found.push({
        pointer: pointerOf("layers", index, "neuron", field),
        message: `${field} has no effect on a layer without leak ("leak": false)`,
        hint: "an integrate-and-fire neuron keeps its membrane as is between inputs; remove the field or set leak to true",
      });
    }
  });
  return found;
}
