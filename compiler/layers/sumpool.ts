// Sum-pool on spikes: the pooled value of a size×size window (stride = size, no padding) is its
// spike count, 0 … size², and the next layer's current adds count·W. It has no stage and no kernel
// of its own: the layer above reads the spikes below it through the window map (each spike of a
// window is one input event of the pooled neuron, so a window with m spikes adds W m times, and
// ∇W gets δ m times), and sends ∂L/∂pooled back to every input of the window (docs/design.md §2).

import type { SumPoolLayerSpec } from "../spec/types.ts";
import { poolOutput } from "../spec/shapes.ts";
import type { SumPoolLayer } from "../ir/types.ts";
import { chw } from "../ir/layers.ts";
import type { LayerKind } from "./kind.ts";

export const sumpool: LayerKind<SumPoolLayerSpec, SumPoolLayer> = {
  kind: "sumpool",
  lower: (spec, base) => ({ ...base, kind: "sumpool", size: spec.size }),
  verify(layer, fail) {
    if (!(layer.size >= 1)) fail(`pool size ${layer.size} < 1`);
    const [c, h, w] = chw(layer.inShape);
    const [ho, wo] = poolOutput(h, w, layer.size);
    const [co, hOut, wOut] = chw(layer.outShape);
    if (co !== c || hOut !== ho || wOut !== wo) fail(`sum-pool output ${layer.outShape.join("×")} ≠ ${c}×${ho}×${wo}`);
  },
  // The spikes the next layer reads are those below, seen through this window map.
  plan: (layer, { input }) => ({ stage: null, buffers: [], input: { ...input, pools: [...(input.pools ?? []), layer] } }),
};
