// The table of snnc layer kinds and the module that writes each as NIR nodes.

import type { Layer } from "../../ir/types.ts";
import { conv } from "./conv.ts";
import { dense } from "./dense.ts";
import { flatten } from "./flatten.ts";
import type { LayerExporter } from "./layer-exporter.ts";
import { maxpool } from "./maxpool.ts";
import { readout } from "./readout.ts";
import { sumpool } from "./sumpool.ts";

const EXPORTERS = [dense, conv, flatten, maxpool, sumpool, readout] as LayerExporter[];

export function layerExporter(kind: Layer["kind"]): LayerExporter {
  const e = EXPORTERS.find((x) => x.kind === kind);
  if (!e) throw new Error(`internal error: no NIR exporter for layer kind ${kind}`);
  return e;
}
