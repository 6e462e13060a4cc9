// A dense layer of LIF neurons: every input connects to every neuron through W [nIn, nOut].

import type { ResolvedLayerSpec } from "../spec/types.ts";
import type { DenseLayer } from "../ir/types.ts";
import { feedforward } from "../ir/layers.ts";
import { lowerNeuron, neuronModel } from "../neurons/index.ts";
import type { LayerKind } from "./kind.ts";
import { planLifStage } from "./lif-stage.ts";
import { lowerBias } from "./bias.ts";
import { lowerWeight } from "./weights.ts";

type DenseSpec = Extract<ResolvedLayerSpec, { kind: "dense" }>;

export const dense: LayerKind<DenseSpec, DenseLayer> = {
  kind: "dense",
  lower: (spec, base, dtMs) => ({
    ...base,
    kind: "dense",
    neuron: lowerNeuron(spec.neuron, dtMs),
    weights: [lowerWeight(base.index, [base.nIn, base.nOut], spec.init, base.nIn), ...(spec.bias ? [lowerBias(base.index, base.nOut)] : [])],
  }),
  verify(layer, fail) {
    neuronModel(layer.neuron.model).verify(layer.neuron, fail);
    if (feedforward(layer).size !== layer.nIn * layer.nOut) fail("weight size ≠ nIn·nOut");
  },
  plan: planLifStage,
};
