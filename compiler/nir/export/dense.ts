// A dense spiking layer: Linear (weight [out, in], the IR's [in, out] transposed), or Affine when
// the layer has a bias, then its neuron node (lif-node.ts). A recurrent layer adds a Linear
// w<k>_rec (R transposed to [to, from]) with edges l<k> → w<k>_rec → l<k>: NIR's edge cycle. The
// bias stays on the feed-forward node (a recurrent Affine's bias would act the same, from step 0).

import type { DenseLayer } from "../../ir/types.ts";
import { nirArray, type NirNode } from "../graph.ts";
import type { ExportContext } from "./context.ts";
import type { LayerExporter } from "./layer-exporter.ts";
import { where } from "./layer-exporter.ts";
import { lifNode } from "./lif-node.ts";

export function linearWeight(w: Float32Array, nIn: number, nOut: number): Float64Array {
  const t = new Float64Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) t[j * nIn + i] = w[i * nOut + j];
  return t;
}

/** Linear, or Affine with the bias (float32 like the weights, so it stays bit-identical). */
export function weightNode(w: Float32Array, bias: Float32Array | null, nIn: number, nOut: number): NirNode {
  const weight = nirArray(linearWeight(w, nIn, nOut), [nOut, nIn], "f32");
  return bias ? { type: "Affine", params: { weight, bias: nirArray(bias, [nOut], "f32") } } : { type: "Linear", params: { weight } };
}

export const dense: LayerExporter<DenseLayer> = {
  kind: "dense",
  export(layer, w, ctx, bias, recurrent) {
    const k = layer.index + 1;
    ctx.add(`w${k}`, weightNode(w!, bias, layer.nIn, layer.nOut));
    ctx.add(`l${k}`, lifNode(layer.neuron, [layer.nOut], ctx.network.dtMs, ctx.conventions, where(layer), ctx.decays(layer)));
    addRecurrence(ctx, k, recurrent, layer.nOut);
  },
};

/** The cycle l<k> → w<k>_rec → l<k> of a recurrent layer (nothing when `r` is null). */
export function addRecurrence(ctx: ExportContext, k: number, r: Float32Array | null, n: number): void {
  if (!r) return;
  ctx.addSide(`w${k}_rec`, weightNode(r, null, n, n));
  ctx.addEdge(`l${k}`, `w${k}_rec`);
  ctx.addEdge(`w${k}_rec`, `l${k}`);
}
