// Flatten of the whole [C, H, W] signal (start_dim 0, end_dim −1 or the last axis) in row-major
// order, which is snnc's flat CHW index. A flat signal stays as it is (no layer).

import { formatShape } from "../graph.ts";
import type { NodeImporter } from "./node-importer.ts";

export const flatten: NodeImporter = {
  type: "Flatten",
  import(name, node, ctx) {
    ctx.expectNoPending(name, node);
    const rank = ctx.shape.length;
    const [start] = ctx.ints(name, node, "start_dim", 1, 0);
    const [end] = ctx.ints(name, node, "end_dim", 1, -1);
    const norm = (d: number) => (d < 0 ? d + rank : d);
    if (norm(start) !== 0 || norm(end) !== rank - 1)
      ctx.fail(name, node, `flattens dims ${start} … ${end} of its ${formatShape(ctx.shape)} input; snnc flattens the whole signal (start_dim 0, end_dim −1)`);
    if (rank === 1) return;
    ctx.addLayer(name, { kind: "flatten" });
    ctx.shape = [ctx.shape.reduce((a, b) => a * b, 1)];
  },
};
