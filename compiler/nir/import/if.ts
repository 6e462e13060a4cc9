// IF after a Linear/Affine or a Conv2d: a layer without leak (`"leak": false`, α = 1). NIR's IF
// is dv/dt = r·I; whether that means v += dt·r·I per step (the literal reading) or v += r·I
// (Sinabs', which wrote the NIR paper's CNN) is the user's choice, --if-gain (conventions.ts).
// r folds into the weights and bias like a LIF's; v_threshold and v_reset are one per layer.

import { ifInputGain } from "../conventions.ts";
import { addSpikingLayer, gainParam, neuronCount, thresholdAndReset } from "./lif.ts";
import type { NodeImporter } from "./node-importer.ts";

export const ifNode: NodeImporter = {
  type: "IF",
  import(name, node, ctx, previous) {
    const syn = ctx.takeSynapse(name, node, previous);
    const neuron = { leak: false, ...thresholdAndReset(name, node, ctx, neuronCount(syn)) };
    const r = gainParam(name, node, ctx, syn, "r");
    addSpikingLayer(name, ctx, syn, neuron, (j) => ifInputGain(r[j], ctx.conventions), { node });
  },
};
