// Output: ends the chain; the layer before it must be the LI readout.

import { formatShape } from "../graph.ts";
import type { NodeImporter } from "./node-importer.ts";

export const output: NodeImporter = {
  type: "Output",
  import(name, node, ctx, previous) {
    if (ctx.scaleBefore) ctx.fail(ctx.scaleBefore.node, { type: "Scale", params: {} }, "must sit next to a Linear, Affine or Conv2d node");
    if (ctx.synapse) ctx.fail(name, node, `follows the weight node "${ctx.synapse.node}" directly; snnc's readout is a Linear or Affine node followed by an LI node`);
    if (!ctx.readoutNode) {
      const last = ctx.layers.at(-1);
      const lastNode = ctx.layerNodes.at(-1);
      if (last?.kind === "dense" || last?.kind === "conv")
        ctx.fail(name, node, `follows the spiking LIF node "${lastNode}"; snnc's networks end in a non-spiking LI readout (a spiking readout is not in snnc yet)`);
      ctx.fail(name, node, `follows "${previous}"; snnc's networks end in a Linear or Affine node and an LI readout`);
    }
    const shape = node.params.shape === undefined ? null : [...ctx.array(name, node, "shape").data];
    if (shape && shape.reduce((a, b) => a * b, 1) !== ctx.shape[0])
      ctx.fail(name, node, `shape ${formatShape(shape)} does not match the readout "${ctx.readoutNode}" of ${ctx.shape[0]} neurons`);
  },
};
