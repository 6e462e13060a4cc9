// NIR has no max-pool node (its pools are SumPool2d and AvgPool2d, which differ on spikes).

import type { MaxPoolLayer } from "../../ir/types.ts";
import { NirError } from "../graph.ts";
import type { LayerExporter } from "./layer-exporter.ts";
import { where } from "./layer-exporter.ts";

export const maxpool: LayerExporter<MaxPoolLayer> = {
  kind: "maxpool",
  export(layer) {
    throw new NirError(`${where(layer)} is a max-pool, which NIR has no node for (only sum and average pooling), so this network cannot be exported`);
  },
};
