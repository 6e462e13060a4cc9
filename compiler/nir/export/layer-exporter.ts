// One module per snnc layer kind writes that layer's NIR nodes (export/index.ts is the table).

import type { Layer } from "../../ir/types.ts";
import type { ExportContext } from "./context.ts";

export interface LayerExporter<L extends Layer = Layer> {
  kind: L["kind"];
  /** `weights`: the layer's feed-forward tensor in the IR's layout (none for weightless kinds);
   *  `bias`: its bias tensor, null when the layer has none; `recurrent`: its R [n, n] (R[k][j],
   *  from k to j), null when the layer is not recurrent. */
  export(layer: L, weights: Float32Array | null, ctx: ExportContext, bias: Float32Array | null, recurrent: Float32Array | null): void;
}

/** JSON pointer of a layer for messages: `/layers/2`. */
export const where = (layer: Layer) => `/layers/${layer.index}`;
