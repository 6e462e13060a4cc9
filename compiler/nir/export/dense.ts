// A dense LIF layer: Linear (weight [out, in], the IR's [in, out] transposed) then LIF.
// Bias and recurrence land here: an Affine instead of the Linear, and a Linear w<k>_rec from the
// LIF back to itself (an edge cycle, NIR's form of recurrence).

import type { DenseLayer } from "../../ir/types.ts";
import { nirArray } from "../graph.ts";
import type { LayerExporter } from "./layer-exporter.ts";
import { where } from "./layer-exporter.ts";
import { lifNode } from "./lif-node.ts";

export function linearWeight(w: Float32Array, nIn: number, nOut: number): Float64Array {
  const t = new Float64Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) t[j * nIn + i] = w[i * nOut + j];
  return t;
}

export const dense: LayerExporter<DenseLayer> = {
  kind: "dense",
  export(layer, w, ctx) {
    const k = layer.index + 1;
    ctx.add(`w${k}`, { type: "Linear", params: { weight: nirArray(linearWeight(w!, layer.nIn, layer.nOut), [layer.nOut, layer.nIn], "f32") } });
    ctx.add(`l${k}`, lifNode(layer.neuron, [layer.nOut], ctx.network.dtMs, ctx.conventions, where(layer)));
  },
};
