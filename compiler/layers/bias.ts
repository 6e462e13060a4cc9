// A layer's bias b: one trained value per neuron (dense, readout) or per filter (conv, shared by
// every position of its map, as in PyTorch and NIR), added to the input current I[t] of every
// update from t = 0 (docs/design.md §2). It starts at 0: the network then begins exactly as the
// same network without a bias (same initial activity, which the calibrated LIF defaults are
// tuned for), and a bias that should be non-zero is learned; drawing it like the weights instead
// (PyTorch's U(±1/√fan_in)) would give silent layers a constant drive that makes every neuron fire
// at a fixed rate before training starts. Zero init draws nothing from the seed, so the weights
// after it are the same numbers with or without a bias.

import type { WeightTensor } from "../ir/types.ts";

/** The bias tensor `b<k>` of the layer at `index`, with `size` entries. */
export function lowerBias(index: number, size: number): WeightTensor {
  return {
    name: `b${index + 1}`,
    role: "bias",
    shape: [size],
    size,
    init: { distribution: "zeros", scale: 0, fanIn: 0, bound: 0 },
  };
}
