// LIF after a Linear/Affine (a dense layer) or a Conv2d (a conv layer). τ, v_threshold, v_leak
// and v_reset must be one value per layer; r may vary per neuron in a dense layer because it only
// scales that neuron's weights (W_snnc = r·(1 − α)·W_nir, conventions.ts).
// CubaLIF lands as its own module beside this one: the same reads plus tau_syn and w_in, and a
// `synapse` block in the layer's neuron (whatever the CuBa spec field is called).

import { inputGain, specTauMs, tauProblem } from "../conventions.ts";
import type { NirNode } from "../graph.ts";
import { size, type ImportContext } from "./context.ts";
import type { NodeImporter } from "./node-importer.ts";

/** τ (seconds) checked against the conventions; refused with the node named. */
export function readTau(name: string, node: NirNode, ctx: ImportContext, key: string, n: number): number {
  const tau = ctx.uniform(name, node, key, n);
  const problem = tauProblem(tau, ctx.conventions);
  if (problem) ctx.fail(name, node, problem);
  return tau;
}

export const lif: NodeImporter = {
  type: "LIF",
  import(name, node, ctx, previous) {
    const syn = ctx.takeSynapse(name, node, previous);
    const n = syn.kind === "dense" ? syn.nOut : size(syn.outShape);
    const tau = readTau(name, node, ctx, "tau", n);
    const neuron = {
      tau_ms: specTauMs(tau, ctx.conventions),
      v_th: ctx.uniform(name, node, "v_threshold", n),
      v_reset: ctx.uniform(name, node, "v_reset", n, 0),
      v_rest: ctx.uniform(name, node, "v_leak", n),
    };
    if (syn.kind === "dense") {
      const r = ctx.perNeuron(name, node, "r", n);
      const w = new Float64Array(syn.nIn * syn.nOut);
      for (let j = 0; j < syn.nOut; j++) {
        const g = inputGain(r[j], tau, ctx.conventions);
        for (let i = 0; i < syn.nIn; i++) w[i * syn.nOut + j] = g * syn.weight[j * syn.nIn + i];
      }
      ctx.addLayer(name, { kind: "dense", size: syn.nOut, neuron }, w);
      ctx.shape = [syn.nOut];
    } else {
      const g = inputGain(ctx.uniform(name, node, "r", n), tau, ctx.conventions);
      ctx.addLayer(
        name,
        { kind: "conv", filters: syn.filters, kernel: syn.kernel, stride: syn.stride, padding: syn.padding, neuron },
        syn.weight.map((x) => g * x),
      );
      ctx.shape = syn.outShape;
    }
  },
};
