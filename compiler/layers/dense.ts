// A dense layer of LIF neurons: every input connects to every neuron through W [nIn, nOut]; a
// recurrent one also feeds its own spikes of step t to its currents of step t through R [N, N].

import type { ResolvedLayerSpec } from "../spec/types.ts";
import type { DenseLayer } from "../ir/types.ts";
import { feedforward, recurrentWeight } from "../ir/layers.ts";
import { lowerNeuron, neuronModel } from "../neurons/index.ts";
import type { LayerKind } from "./kind.ts";
import { planLifStage } from "./lif-stage.ts";
import { lowerBias } from "./bias.ts";
import { lowerDecayTensors, verifyDecayTensors } from "./decay.ts";
import { lowerDenseWeights } from "./weights.ts";

type DenseSpec = Extract<ResolvedLayerSpec, { kind: "dense" }>;

export const dense: LayerKind<DenseSpec, DenseLayer> = {
  kind: "dense",
  lower: (spec, base, dtMs) => {
    const neuron = lowerNeuron(spec.neuron, dtMs);
    return {
      ...base,
      kind: "dense",
      neuron,
      weights: [
        ...lowerDenseWeights(base.index, base.nIn, base.nOut, spec),
        ...(spec.bias ? [lowerBias(base.index, base.nOut)] : []),
        ...lowerDecayTensors(base.index, base.nOut, neuron, dtMs),
      ],
    };
  },
  verify(layer, fail) {
    neuronModel(layer.neuron.model).verify(layer.neuron, fail);
    if (feedforward(layer).size !== layer.nIn * layer.nOut) fail("weight size ≠ nIn·nOut");
    const r = recurrentWeight(layer);
    if (r && r.size !== layer.nOut * layer.nOut) fail("recurrent weight size ≠ nOut·nOut");
    if (layer.weights.filter((w) => w.role === "feedforward" || w.role === "recurrent").length !== (r ? 2 : 1)) fail("a dense layer holds W and at most one R (and a bias, per-neuron decays)");
    verifyDecayTensors(layer, fail);
  },
  plan: planLifStage,
};
