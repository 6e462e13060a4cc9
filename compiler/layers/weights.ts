// Weight tensors as the IR holds them: shape, size and the resolved init of each.

import type { InitSpec } from "../spec/types.ts";
import type { WeightInit, WeightTensor } from "../ir/types.ts";
import { shapeSize } from "../spec/shapes.ts";

/** The feed-forward tensor `w<k>` of the layer at `index`. */
export function lowerWeight(index: number, shape: number[], init: InitSpec, fanIn: number): WeightTensor {
  return { name: `w${index + 1}`, role: "feedforward", shape, size: shapeSize(shape), init: resolveInit(init, fanIn) };
}

/** The recurrent tensor `r<k>` [N, N] of a recurrent layer of N neurons at `index` (fan-in N). */
export function lowerRecurrentWeight(index: number, n: number, init: InitSpec): WeightTensor {
  return { name: `r${index + 1}`, role: "recurrent", shape: [n, n], size: n * n, init: resolveInit(init, n) };
}

/** The tensors of a dense or readout layer: W, then R when the spec makes it recurrent. */
export function lowerDenseWeights(index: number, nIn: number, nOut: number, spec: { init: InitSpec; recurrent?: true; recurrent_init?: InitSpec }): WeightTensor[] {
  const w = lowerWeight(index, [nIn, nOut], spec.init, nIn);
  return spec.recurrent && spec.recurrent_init ? [w, lowerRecurrentWeight(index, nOut, spec.recurrent_init)] : [w];
}

function resolveInit(init: InitSpec, fanIn: number): WeightInit {
  return { distribution: init.distribution, scale: init.scale, fanIn, bound: init.scale / Math.sqrt(fanIn) };
}
