// A sum-pool: SumPool2d with stride equal to the window and no padding (snnc's only form).

import type { SumPoolLayer } from "../../ir/types.ts";
import { nirArray } from "../graph.ts";
import type { LayerExporter } from "./layer-exporter.ts";

export const sumpool: LayerExporter<SumPoolLayer> = {
  kind: "sumpool",
  export(layer, _w, ctx) {
    const pair = (x: number) => nirArray([x, x], [2], "i64");
    ctx.add(`l${layer.index + 1}`, { type: "SumPool2d", params: { kernel_size: pair(layer.size), stride: pair(layer.size), padding: pair(0) } });
  },
};
