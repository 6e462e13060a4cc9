// Linear and Affine: dense weights [out, in], waiting for the LIF or LI node after them. snnc has
// no bias yet, so an Affine's bias must be all zero (when bias lands: keep the bias here and let
// lif.ts/li.ts scale it by the same gain as the weights).

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
  if (node.type === "Affine") {
    const bias = ctx.optionalArray(name, node, "bias");
    if (bias && bias.data.length !== 1 && bias.data.length !== nOut)
      ctx.fail(name, node, `bias has ${bias.data.length} values but the weight has ${nOut} outputs`);
    if (bias && bias.data.some((b) => b !== 0)) ctx.fail(name, node, "has a non-zero bias; snnc has no bias yet (use a Linear node, or a zero bias)");
  }
  const weight = Float64Array.from(w.data);
  const pre = ctx.scaleBefore;
  if (pre) {
    if (pre.scale.length !== 1 && pre.scale.length !== nIn)
      ctx.fail(pre.node, { type: "Scale", params: {} }, `has ${pre.scale.length} factors but "${name}" has ${nIn} inputs`);
    for (let j = 0; j < nOut; j++) for (let i = 0; i < nIn; i++) weight[j * nIn + i] *= pre.scale.length === 1 ? pre.scale[0] : pre.scale[i];
    ctx.scaleBefore = null;
  }
  ctx.synapse = { node: name, kind: "dense", nIn, nOut, weight };
  ctx.shape = [nOut];
}

export const linear: NodeImporter = { type: "Linear", import: importDense };
export const affine: NodeImporter = { type: "Affine", import: importDense };
