// Input: the network's input shape ([N], [H, W] or [C, H, W]).

import { formatShape } from "../graph.ts";
import type { NodeImporter } from "./node-importer.ts";

export const input: NodeImporter = {
  type: "Input",
  import(name, node, ctx) {
    const shape = [...ctx.array(name, node, "shape").data];
    if (shape.length < 1 || shape.length > 3 || shape.some((d) => !Number.isInteger(d) || d < 1))
      ctx.fail(name, node, `shape ${formatShape(shape)} is not [N], [H, W] or [C, H, W] of positive integers`);
    ctx.shape = shape;
    ctx.inputShape = shape;
  },
};
