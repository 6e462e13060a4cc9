// Weight tensors as the IR holds them: shape, size and the resolved init of each.

import type { InitSpec } from "../spec/types.ts";
import type { WeightInit, WeightTensor } from "../ir/types.ts";
import { shapeSize } from "../spec/shapes.ts";

/** The feed-forward tensor `w<k>` of the layer at `index`. */
export function lowerWeight(index: number, shape: number[], init: InitSpec, fanIn: number): WeightTensor {
  const resolved: WeightInit = {
    distribution: init.distribution,
    scale: init.scale,
    fanIn,
    bound: init.scale / Math.sqrt(fanIn),
  };
  return { name: `w${index + 1}`, role: "feedforward", shape, size: shapeSize(shape), init: resolved };
}
