// Every layer kind, by the spec's `kind`. Lowering, the IR verifier and the plan look a layer's
// module up here; adding a kind means adding its module to this table.

import type { Layer } from "../ir/types.ts";
import type { ResolvedLayerSpec } from "../spec/types.ts";
import { conv } from "./conv.ts";
import { dense } from "./dense.ts";
import { flatten } from "./flatten.ts";
import type { LayerKind } from "./kind.ts";
import { maxpool } from "./maxpool.ts";
import { readout } from "./readout.ts";
import { sumpool } from "./sumpool.ts";

type KindTable = { [K in Layer["kind"]]: LayerKind<Extract<ResolvedLayerSpec, { kind: K }>, Extract<Layer, { kind: K }>> };

export const LAYER_KINDS: KindTable = { dense, conv, maxpool, sumpool, flatten, readout };

/** The module of a layer's kind, typed loosely for code that handles every kind alike. */
export function layerKind(kind: Layer["kind"]): LayerKind<ResolvedLayerSpec, Layer> {
  return LAYER_KINDS[kind] as unknown as LayerKind<ResolvedLayerSpec, Layer>;
}
