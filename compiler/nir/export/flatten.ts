// Flatten of the whole [C, H, W] signal.

import type { FlattenLayer } from "../../ir/types.ts";
import { nirArray, scalar } from "../graph.ts";
import type { LayerExporter } from "./layer-exporter.ts";

export const flatten: LayerExporter<FlattenLayer> = {
  kind: "flatten",
  export(layer, _w, ctx) {
    ctx.add(`l${layer.index + 1}`, {
      type: "Flatten",
      params: { start_dim: scalar(0, "i64"), end_dim: scalar(-1, "i64"), input_type: nirArray(layer.inShape, [layer.inShape.length], "i64") },
    });
  },
};
