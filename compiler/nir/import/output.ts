// Output: ends the chain; the layer before it must be the readout: an LI (or CubaLI) node, or a
// spiking one (LIF, IF, CubaLIF after a Linear or Affine), which lif.ts made the spiking readout.

import { formatShape } from "../graph.ts";
import type { NodeImporter } from "./node-importer.ts";

export const output: NodeImporter = {
  type: "Output",
  import(name, node, ctx, previous) {
    if (ctx.scaleBefore) ctx.fail(ctx.scaleBefore.node, { type: "Scale", params: {} }, "must sit next to a Linear, Affine or Conv2d node");
    if (ctx.synapse) ctx.fail(name, node, `follows the weight node "${ctx.synapse.node}" directly; snnc's readout is a Linear or Affine node followed by an LI node`);
    if (!ctx.readoutNode) ctx.fail(name, node, `follows "${previous}"; snnc's networks end in a Linear or Affine node and a neuron node (LI, CubaLI, LIF, IF or CubaLIF)`);
    const shape = node.params.shape === undefined ? null : [...ctx.array(name, node, "shape").data];
    if (shape && shape.reduce((a, b) => a * b, 1) !== ctx.shape[0])
      ctx.fail(name, node, `shape ${formatShape(shape)} does not match the readout "${ctx.readoutNode}" of ${ctx.shape[0]} neurons`);
  },
};
