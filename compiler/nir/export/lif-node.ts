// The NIR node of a layer's spiking neurons, parameters as full arrays over the layer's shape.
// r = 1/(1 − α) makes the per-step input gain 1, so the weight node holds snnc's weights as they
// are. A new neuron model (CuBa, IF) adds its case here: CubaLIF with tau_syn and w_in, IF with
// r and v_threshold only.

import type { NeuronIR } from "../../ir/types.ts";
import { nirTauS, unitGainR, type Conventions } from "../conventions.ts";
import { nirArray, NirError, size, type NirNode } from "../graph.ts";

export function fill(shape: number[], x: number) {
  return nirArray(new Float64Array(size(shape)).fill(x), shape);
}

export function lifNode(neuron: NeuronIR, shape: number[], specDtMs: number, c: Conventions, where: string): NirNode {
  if (neuron.model !== "lif") throw new NirError(`${where}: neuron model "${neuron.model as string}" has no NIR export yet`);
  if (neuron.tauMs === null) throw new NirError(`${where}: a neuron without leak (IF) has no NIR export yet`);
  if (neuron.reset !== "subtract") throw new NirError(`${where}: reset "${neuron.reset}" has no NIR export yet`);
  return {
    type: "LIF",
    params: {
      tau: fill(shape, nirTauS(neuron.tauMs, specDtMs, c)),
      r: fill(shape, unitGainR(neuron.tauMs, specDtMs)),
      v_leak: fill(shape, neuron.vRest),
      v_threshold: fill(shape, neuron.vTh),
      v_reset: fill(shape, neuron.vReset),
    },
  };
}
