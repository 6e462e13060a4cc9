// Initial weights from the IR's resolved init (distribution and bound), drawn from one seed in
// tensor order so every backend starts from the same numbers.

import type { Network } from "../../compiler/ir/types.ts";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { Rng } from "../util/rng.ts";

export function initialWeights(net: Network, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const out = new Map<string, Float32Array>();
  for (const { name, size, init } of weightTensors(net)) {
    const w = new Float32Array(size);
    // Zeros (biases) draw nothing, so the tensors after one get the same numbers as without it.
    if (init.distribution !== "zeros")
      for (let k = 0; k < size; k++)
        w[k] = init.distribution === "uniform" ? rng.uniform(-init.bound, init.bound) : init.bound * rng.normal();
    out.set(name, w);
  }
  return out;
}
