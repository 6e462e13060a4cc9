// A conv layer of LIF neurons: F filters of C×k×k, stride and zero padding; each position of each
// filter map is a LIF neuron with its own V (flat CHW order).

import type { ResolvedLayerSpec } from "../spec/types.ts";
import type { ConvLayer } from "../ir/types.ts";
import { feedforward } from "../ir/layers.ts";
import { lowerNeuron, neuronModel } from "../neurons/index.ts";
import type { LayerKind } from "./kind.ts";
import { planLifStage } from "./lif-stage.ts";
import { lowerBias } from "./bias.ts";
import { lowerWeight } from "./weights.ts";
import { lowerDecayTensors, verifyDecayTensors } from "./decay.ts";

type ConvSpec = Extract<ResolvedLayerSpec, { kind: "conv" }>;

export const conv: LayerKind<ConvSpec, ConvLayer> = {
  kind: "conv",
  lower(spec, base, dtMs) {
    const channels = base.inShape[0];
    const neuron = lowerNeuron(spec.neuron, dtMs);
    return {
      ...base,
      kind: "conv",
      filters: spec.filters,
      kernel: spec.kernel,
      stride: spec.stride,
      padding: spec.padding,
      neuron,
      weights: [
        lowerWeight(base.index, [spec.filters, channels, spec.kernel, spec.kernel], spec.init, channels * spec.kernel * spec.kernel),
        ...(spec.bias ? [lowerBias(base.index, spec.filters)] : []),
        ...lowerDecayTensors(base.index, base.nOut, neuron, dtMs),
      ],
    };
  },
  verify(layer, fail) {
    neuronModel(layer.neuron.model).verify(layer.neuron, fail);
    const [c] = layer.inShape;
    if (feedforward(layer).size !== layer.filters * c * layer.kernel * layer.kernel) fail("conv weight size");
    verifyDecayTensors(layer, fail);
  },
  plan: planLifStage,
};
