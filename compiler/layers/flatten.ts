// Flatten: [C, H, W] → [C·H·W], the identity on the flat CHW index, so it has no stage and no
// kernel: the layer above reads the spikes of the stage below it directly.

import type { FlattenLayerSpec } from "../spec/types.ts";
import type { FlattenLayer } from "../ir/types.ts";
import type { LayerKind } from "./kind.ts";

export const flatten: LayerKind<FlattenLayerSpec, FlattenLayer> = {
  kind: "flatten",
  lower: (_spec, base) => ({ ...base, kind: "flatten" }),
  verify(layer, fail) {
    if (layer.nIn !== layer.nOut) fail("flatten changes the neuron count");
  },
  plan: () => ({ stage: null, buffers: [] }),
};
