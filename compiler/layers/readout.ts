// The readout: non-spiking leaky integrators (V_th = ∞), logits a_c = max_t V_c[t] or Σ_t V_c[t]
// over t = 0 … T−1 including V[0] = 0, input current scaled by 1 or 1 − α.

import type { ResolvedLayerSpec } from "../spec/types.ts";
import type { ReadoutLayer } from "../ir/types.ts";
import { feedforward } from "../ir/layers.ts";
import type { KernelPlan, ReadoutStage } from "../plan/types.ts";
import { backwardKernels, perSample, type LayerKind } from "./kind.ts";
import { lowerBias } from "./bias.ts";
import { lowerWeight } from "./weights.ts";

type ReadoutSpec = Extract<ResolvedLayerSpec, { kind: "readout" }>;

export const readout: LayerKind<ReadoutSpec, ReadoutLayer> = {
  kind: "readout",
  lower(spec, base, dtMs) {
    const alpha = Math.exp(-dtMs / spec.tau_ms);
    return {
      ...base,
      kind: "readout",
      tauMs: spec.tau_ms,
      alpha,
      vRest: spec.v_rest,
      logits: spec.logits,
      inputScaleMode: spec.input_scale,
      inputScale: spec.input_scale === "one_minus_alpha" ? 1 - alpha : 1,
      ...(spec.tau_syn_ms !== undefined ? { synapse: { tauSynMs: spec.tau_syn_ms, alphaSyn: Math.exp(-dtMs / spec.tau_syn_ms) } } : {}),
      weights: [lowerWeight(base.index, [base.nIn, base.nOut], spec.init, base.nIn), ...(spec.bias ? [lowerBias(base.index, base.nOut)] : [])],
    };
  },
  verify(layer, fail) {
    if (!(layer.alpha > 0 && layer.alpha < 1)) fail(`α = ${layer.alpha} outside (0, 1)`);
    const want = layer.inputScaleMode === "one_minus_alpha" ? 1 - layer.alpha : 1;
    if (layer.inputScale !== want) fail(`input scale ${layer.inputScale} ≠ ${want}`);
    if (feedforward(layer).size !== layer.nIn * layer.nOut) fail("weight size ≠ nIn·nOut");
    const syn = layer.synapse;
    if (syn && !(syn.alphaSyn > 0 && syn.alphaSyn < 1)) fail(`α_syn = ${syn.alphaSyn} outside (0, 1)`);
  },
  plan(layer, { input }) {
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
