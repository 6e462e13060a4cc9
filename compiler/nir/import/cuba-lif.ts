// CubaLIF (a hidden layer) and CubaLI (the readout): a synaptic current with its own τ_syn and
// input gain w_in before the membrane,
//   τ_syn·dI/dt = −I + w_in·x,   τ_mem·dv/dt = (v_leak − v) + r·I,
// discretised per variable (α_syn, α from τ_syn, τ_mem as for a LIF) and updated synapse first,
// the new current feeding the membrane: snnTorch's order, which exported the Braille graphs, and
// snnc's CuBa (docs/design.md §2, §8). Both equations are linear in the input, so the two gains
// multiply into the weights and bias: W_snnc = r·(1 − α)·w_in·(1 − α_syn)·W_nir (per neuron in a
// dense layer, one value in a conv layer), or what the exporter's simulator used instead
// (conventions.ts: gain 1, or α_syn for Rockpool's synapse). A readout whose r is all 1 keeps r's
// (1 − α) as its input_scale "one_minus_alpha", like an LI.

import { membraneGain, specTauMs, synapseGain, unitMembrane } from "../conventions.ts";
import { addSpikingLayer, gainParam, neuronCount, readTau, readTaus, thresholdAndReset } from "./lif.ts";
import type { NodeImporter } from "./node-importer.ts";

export const cubaLif: NodeImporter = {
  type: "CubaLIF",
  import(name, node, ctx, previous) {
    const syn = ctx.takeSynapse(name, node, previous);
    const n = neuronCount(syn);
    // τ_mem and τ_syn may each vary per neuron in a dense layer (readTaus).
    const tauMem = readTaus(name, node, ctx, "tau_mem", syn);
    const tauSyn = readTaus(name, node, ctx, "tau_syn", syn);
    const neuron = {
      tau_ms: tauMem.spec,
      ...thresholdAndReset(name, node, ctx, n),
      v_rest: ctx.uniform(name, node, "v_leak", n),
      tau_syn_ms: tauSyn.spec,
    };
    const r = gainParam(name, node, ctx, syn, "r");
    const wIn = gainParam(name, node, ctx, syn, "w_in", 1);
    const synGain = (j: number) => synapseGain(wIn[j], tauSyn.values[j], ctx.conventions);
    const unitR = unitMembrane("lif", r, ctx.conventions) ? synGain : undefined;
    const decays = { alpha: tauMem.alpha, alphaSyn: tauSyn.alpha };
    addSpikingLayer(name, ctx, syn, neuron, (j) => membraneGain("lif", r[j], tauMem.values[j], ctx.conventions) * synGain(j), { node, unitR, decays });
  },
};

export const cubaLi: NodeImporter = {
  type: "CubaLI",
  import(name, node, ctx, previous) {
    const syn = ctx.takeSynapse(name, node, previous);
    if (syn.kind !== "dense") return ctx.fail(name, node, `follows the Conv2d "${syn.node}"; snnc's readout takes a Linear or Affine node (flatten first)`);
    const n = syn.nOut;
    const tauMem = readTau(name, node, ctx, "tau_mem", n);
    const tauSyn = readTau(name, node, ctx, "tau_syn", n);
    const r = ctx.perNeuron(name, node, "r", n);
    const wIn = ctx.perNeuron(name, node, "w_in", n, 1);
    const unit = unitMembrane("li", r, ctx.conventions);
    const w = new Float64Array(syn.nIn * n);
    const b = syn.bias ? new Float64Array(n) : null;
    for (let j = 0; j < n; j++) {
      const g = (unit ? 1 : membraneGain("li", r[j], tauMem, ctx.conventions)) * synapseGain(wIn[j], tauSyn, ctx.conventions);
      for (let i = 0; i < syn.nIn; i++) w[i * n + j] = g * syn.weight[j * syn.nIn + i];
      if (b) b[j] = g * syn.bias![j];
    }
    ctx.addLayer(
      name,
      {
        kind: "readout",
        size: n,
        logits: "sum",
        input_scale: unit ? "one_minus_alpha" : "one",
        tau_ms: specTauMs(tauMem, ctx.conventions),
        v_rest: ctx.uniform(name, node, "v_leak", n),
        tau_syn_ms: specTauMs(tauSyn, ctx.conventions),
      },
      w,
      b,
    );
    ctx.shape = [n];
    ctx.readoutNode = name;
  },
};
