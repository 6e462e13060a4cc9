// The readout: non-spiking leaky integrators (V_th = ∞), logits a_c = max_t V_c[t] or Σ_t V_c[t]
// over t = 0 … T−1 including V[0] = 0, input current scaled by 1 or 1 − α. A spiking readout is a
// LIF stage like a hidden layer (optionally recurrent) whose spike counts are the logits.

import type { ResolvedLayerSpec } from "../spec/types.ts";
import type { ReadoutLayer, SpikingReadout } from "../ir/types.ts";
import { feedforward, recurrentWeight } from "../ir/layers.ts";
import { lowerNeuron, neuronModel } from "../neurons/index.ts";
import { planLifStage } from "./lif-stage.ts";
import type { KernelPlan, ReadoutStage } from "../plan/types.ts";
import { backwardKernels, perSample, type LayerKind } from "./kind.ts";
import { lowerBias } from "./bias.ts";
import { lowerDenseWeights } from "./weights.ts";

type ReadoutSpec = Extract<ResolvedLayerSpec, { kind: "readout" }>;

export const readout: LayerKind<ReadoutSpec, ReadoutLayer> = {
  kind: "readout",
  lower(spec, base, dtMs) {
    // A spiking readout takes α from its neuron, which may have no leak (α = 1).
    const neuron = spec.spiking && spec.neuron ? lowerNeuron(spec.neuron, dtMs) : undefined;
    const alpha = neuron ? neuron.alpha : Math.exp(-dtMs / spec.tau_ms);
    return {
      ...base,
      kind: "readout",
      tauMs: spec.tau_ms,
      alpha,
      vRest: spec.v_rest,
      logits: spec.logits,
      inputScaleMode: spec.input_scale,
      inputScale: spec.input_scale === "one_minus_alpha" ? 1 - alpha : 1,
      ...(spec.tau_syn_ms !== undefined && !spec.spiking ? { synapse: { tauSynMs: spec.tau_syn_ms, alphaSyn: Math.exp(-dtMs / spec.tau_syn_ms) } } : {}),
      weights: [...lowerDenseWeights(base.index, base.nIn, base.nOut, spec), ...(spec.bias ? [lowerBias(base.index, base.nOut)] : [])],
      ...(neuron ? { neuron } : {}),
    };
  },
  verify(layer, fail) {
    if (!layer.neuron && !(layer.alpha > 0 && layer.alpha < 1)) fail(`α = ${layer.alpha} outside (0, 1)`);
    const want = layer.inputScaleMode === "one_minus_alpha" ? 1 - layer.alpha : 1;
    if (layer.inputScale !== want) fail(`input scale ${layer.inputScale} ≠ ${want}`);
    if (feedforward(layer).size !== layer.nIn * layer.nOut) fail("weight size ≠ nIn·nOut");
    const syn = layer.synapse;
    if (syn && !(syn.alphaSyn > 0 && syn.alphaSyn < 1)) fail(`α_syn = ${syn.alphaSyn} outside (0, 1)`);
    if (syn && layer.neuron) fail("a spiking readout's synapses belong to its neuron model");
    const r = recurrentWeight(layer);
    if (r && !layer.neuron) fail("only a spiking readout may be recurrent");
    if (r && r.size !== layer.nOut * layer.nOut) fail("recurrent weight size ≠ nOut·nOut");
    if ((layer.logits === "spike_count") !== (layer.neuron !== undefined)) fail("spike-count logits go with a spiking readout only");
    if (layer.neuron) {
      neuronModel(layer.neuron.model).verify(layer.neuron, fail);
      if (layer.neuron.alpha !== layer.alpha) fail("the spiking readout's α differs from its neuron's");
    }
  },
  plan(layer, ctx) {
    if (layer.neuron) return planSpikingReadout(layer as SpikingReadout, ctx);
    const { input } = ctx;
    const id = layer.id;
    const C = layer.nOut;
    const kernels: KernelPlan[] = [
      {
        name: `forward_readout_${id}`,
        kind: "forward_readout",
        phase: "forward",
        stage: id,
        what: `readout forward of ${id} (${layer.nIn}→${layer.nOut}), logits = ${layer.logits} over time`,
        grid: "batch",
        work: "per input spike: one row of W",
      },
      ...backwardKernels(id, "readout", "δ recurrence, ∇W, ∇S of the layer below", {
        sparse: "visits only steps with events (Prop. 1); ∇W per input spike, ∇S below only at active neuron-times",
        dense: "every step; ∇S below at every neuron-time",
      }),
    ];
    const stage: ReadoutStage = { kind: "readout", id, layer, input, weights: [feedforward(layer)], kernels };
    return {
      stage,
      buffers: [
        { name: "logits", elem: "f32", scale: perSample(C), role: "loss", path: "both", what: "logits a = max_t V or Σ_t V of the readout" },
        { name: "logit_time", elem: "i32", scale: perSample(C), role: "loss", path: "both", what: "the step that won max_t V (max logits)" },
        { name: "grad_logits", elem: "f32", scale: perSample(C), role: "loss", path: "both", what: "∂L/∂logits" },
      ],
    };
  },
};

/** A spiking readout: the LIF stage of a hidden layer (without penalties) plus the logits buffers. */
function planSpikingReadout(layer: SpikingReadout, ctx: Parameters<typeof planLifStage>[1]) {
  const { stage, buffers } = planLifStage(layer, ctx);
  const C = layer.nOut;
  return {
    stage,
    buffers: [
      ...buffers,
      { name: "logits", elem: "f32", scale: perSample(C), role: "loss", path: "both", what: `logits a = Σ_t S of ${layer.id} (spike counts)` },
      { name: "grad_logits", elem: "f32", scale: perSample(C), role: "loss", path: "both", what: "∂L/∂logits" },
    ] satisfies typeof buffers,
  };
}
