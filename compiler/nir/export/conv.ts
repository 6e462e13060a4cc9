// A conv spiking layer: Conv2d (weight [F, C, k, k] as the IR holds it; its bias, zero when the
// layer has none) then the neuron node over [F, H, W].

import type { ConvLayer } from "../../ir/types.ts";
import { chw } from "../../ir/layers.ts";
import { nirArray, scalar } from "../graph.ts";
import type { LayerExporter } from "./layer-exporter.ts";
import { where } from "./layer-exporter.ts";
import { lifNode } from "./lif-node.ts";

export const conv: LayerExporter<ConvLayer> = {
  kind: "conv",
  export(layer, w, ctx, bias) {
    const k = layer.index + 1;
    const [c, h, wd] = chw(layer.inShape);
    const ints = (xs: number[]) => nirArray(xs, [xs.length], "i64");
    ctx.add(`w${k}`, {
      type: "Conv2d",
      params: {
        weight: nirArray(w!, [layer.filters, c, layer.kernel, layer.kernel], "f32"),
        stride: ints([layer.stride, layer.stride]),
        padding: ints([layer.padding, layer.padding]),
        dilation: ints([1, 1]),
        groups: scalar(1, "i64"),
        bias: nirArray(bias ?? new Float64Array(layer.filters), [layer.filters], "f32"),
        input_shape: ints([h, wd]),
      },
    });
    ctx.add(`l${k}`, lifNode(layer.neuron, layer.outShape, ctx.network.dtMs, ctx.conventions, where(layer), ctx.decays(layer)));
  },
};
