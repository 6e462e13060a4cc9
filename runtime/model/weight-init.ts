// Initial weights from the IR's resolved init (distribution and bound), drawn from one seed in
// layer order so every backend starts from the same numbers.

import type { Network, WeightedLayer } from "../../compiler/ir/types.ts";
import { Rng } from "../util/rng.ts";

export function weightedLayers(net: Network): WeightedLayer[] {
  return net.layers.filter((l): l is WeightedLayer => "weight" in l);
}

export function initialWeights(net: Network, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const out = new Map<string, Float32Array>();
  for (const layer of weightedLayers(net)) {
    const { size, init } = layer.weight;
    const w = new Float32Array(size);
    for (let k = 0; k < size; k++)
      w[k] = init.distribution === "uniform" ? rng.uniform(-init.bound, init.bound) : init.bound * rng.normal();
    out.set(layer.weight.name, w);
  }
  return out;
}
