// LI: the non-spiking readout after a Linear/Affine. With r = 1 everywhere it is exactly snnc's
// readout with input_scale "one_minus_alpha" (weights unchanged); otherwise input_scale "one" and
// the weights carry the gain r·(1 − α) (or 1, where the exporter's simulator adds W·x as it is). An Affine's bias takes the same gain. Only Output may
// follow it. CubaLI (a readout with CuBa synapses) is in cuba-lif.ts.

import { membraneGain, specTauMs, unitMembrane } from "../conventions.ts";
import type { NodeImporter } from "./node-importer.ts";
import { readTau } from "./lif.ts";

export const li: NodeImporter = {
  type: "LI",
  import(name, node, ctx, previous) {
    const syn = ctx.takeSynapse(name, node, previous);
    if (syn.kind !== "dense") return ctx.fail(name, node, `follows the Conv2d "${syn.node}"; snnc's readout takes a Linear or Affine node (flatten first)`);
    const n = syn.nOut;
    const tau = readTau(name, node, ctx, "tau", n);
    const vRest = ctx.uniform(name, node, "v_leak", n);
    const r = ctx.perNeuron(name, node, "r", n);
    const unit = unitMembrane("li", r, ctx.conventions);
    const w = new Float64Array(syn.nIn * n);
    const b = syn.bias ? new Float64Array(n) : null;
    for (let j = 0; j < n; j++) {
      const g = unit ? 1 : membraneGain("li", r[j], tau, ctx.conventions);
      for (let i = 0; i < syn.nIn; i++) w[i * n + j] = g * syn.weight[j * syn.nIn + i];
      if (b) b[j] = g * syn.bias![j];
    }
    ctx.addLayer(
      name,
      { kind: "readout", size: n, logits: "sum", input_scale: unit ? "one_minus_alpha" : "one", tau_ms: specTauMs(tau, ctx.conventions), v_rest: vRest },
      w,
      b,
    );
    ctx.shape = [n];
    ctx.readoutNode = name;
  },
};
