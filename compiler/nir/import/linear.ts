// Linear and Affine: dense weights [out, in] and an Affine's bias (size 1 broadcasts), waiting
// for the neuron node after them, which scales both by its input gain (lif.ts, li.ts).

import { formatShape, type NirNode } from "../graph.ts";
import type { ImportContext } from "./context.ts";
import type { NodeImporter } from "./node-importer.ts";

function importDense(name: string, node: NirNode, ctx: ImportContext, previous: string): void {
  ctx.expectNoPending(name, node);
  const w = ctx.array(name, node, "weight");
  if (w.shape.length !== 2) ctx.fail(name, node, `weight has shape ${formatShape(w.shape)}; expected [out, in]`);
  const [nOut, nIn] = w.shape;
  if (ctx.shape.length !== 1)
    ctx.fail(name, node, `its input "${previous}" has shape ${formatShape(ctx.shape)}; snnc's dense layers take a flat input (add a Flatten before it)`);
  if (nIn !== ctx.shape[0])
    ctx.fail(name, node, `weight has shape ${formatShape(w.shape)} but its input "${previous}" has ${ctx.shape[0]} values`);
  let bias: Float64Array | null = null;
  if (node.type === "Affine") {
    const b = ctx.optionalArray(name, node, "bias");
    if (b && b.data.length !== 1 && b.data.length !== nOut) ctx.fail(name, node, `bias has ${b.data.length} values but the weight has ${nOut} outputs`);
    if (b) bias = b.data.length === 1 ? new Float64Array(nOut).fill(b.data[0]) : Float64Array.from(b.data);
  }
  const weight = Float64Array.from(w.data);
  const pre = ctx.scaleBefore;
  if (pre) {
    if (pre.scale.length !== 1 && pre.scale.length !== nIn)
      ctx.fail(pre.node, { type: "Scale", params: {} }, `has ${pre.scale.length} factors but "${name}" has ${nIn} inputs`);
    for (let j = 0; j < nOut; j++) for (let i = 0; i < nIn; i++) weight[j * nIn + i] *= pre.scale.length === 1 ? pre.scale[0] : pre.scale[i];
    ctx.scaleBefore = null;
  }
  ctx.synapse = { node: name, kind: "dense", nIn, nOut, weight, bias };
  ctx.shape = [nOut];
}

export const linear: NodeImporter = { type: "Linear", import: importDense };
export const affine: NodeImporter = { type: "Affine", import: importDense };
