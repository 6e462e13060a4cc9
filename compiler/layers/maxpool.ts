// Max-pool on spikes: an OR over each size×size window (stride = size, no padding). Its gradient
// goes to the window's first spiking input, else its first input (PyTorch's max-pool backward).

import type { MaxPoolLayerSpec } from "../spec/types.ts";
import type { MaxPoolLayer } from "../ir/types.ts";
import { PlanError } from "../plan/plan-error.ts";
import type { PoolStage } from "../plan/types.ts";
import { backwardKernels, perSample, type LayerKind } from "./kind.ts";

export const maxpool: LayerKind<MaxPoolLayerSpec, MaxPoolLayer> = {
  kind: "maxpool",
  lower: (spec, base) => ({ ...base, kind: "maxpool", size: spec.size }),
  verify(layer, fail) {
    if (!(layer.size >= 1)) fail(`pool size ${layer.size} < 1`);
  },
  plan(layer, { net, input }) {
    // Sum-pooled counts are not spikes: an OR over them is not what the kernels compute.
    if (input.kind !== "spikes" || input.from.kind !== "lif" || input.from.connectivity !== "conv" || input.pools?.length)
      throw new PlanError(`/layers/${layer.index}: a maxpool layer is generated only on the spikes of a conv layer`);
    const from = input.from;
    const id = layer.id;
    const T = net.steps;
    const stage: PoolStage = {
      kind: "maxpool",
      id,
      layer,
      from,
      words: Math.ceil(layer.nOut / 32),
      kernels: [
        {
          name: `forward_maxpool_${id}`,
          kind: "forward_maxpool",
          phase: "forward",
          stage: id,
          what: `max-pool ${layer.size}×${layer.size} of the spikes of ${from.id} (${layer.nIn}→${layer.nOut}): an OR per window; records which active entries of ${from.id} receive a gradient`,
          grid: "batch",
          work: "per spike of the layer below: one bit; per active entry below: one window",
        },
        ...backwardKernels(
          id,
          "maxpool",
          "∂L/∂S of each pooled neuron to the first spiking input of its window (else its first input)",
          { sparse: "one copy per routed active entry", dense: "one window per pooled neuron-time" },
          "maxpool",
        ),
      ],
    };
    // A pooled entry routes to one active entry of the layer below: it never needs more room.
    const active = { kind: "active", stage: from.id } as const;
    return {
      stage,
      buffers: [
        { name: `spikes_${id}`, elem: "u32", scale: perSample(T * stage.words), role: "forward", path: "both", what: `pooled spike bitmask of ${id} (an OR over each window)` },
        { name: `act_offsets_${id}`, elem: "u32", scale: perSample(T + 1), role: "backward", path: "sparse", what: `pooled neurons of ${id} whose window's gradient lands on an active entry of ${from.id}: start of each (sample, step)` },
        { name: `act_index_${id}`, elem: "u32", scale: active, role: "backward", path: "sparse", what: "pooled neuron of each such entry" },
        { name: `act_src_${id}`, elem: "u32", scale: active, role: "backward", path: "sparse", what: `the active entry of ${from.id} it routes to` },
        { name: `act_grad_${id}`, elem: "f32", scale: active, role: "backward", path: "sparse", what: "∂L/∂S of the pooled neuron, from the layer above" },
        { name: `grad_spikes_${id}`, elem: "f32", scale: perSample(T * layer.nOut), role: "backward", path: "dense", what: `∂L/∂S of ${id} at every pooled neuron-time` },
      ],
    };
  },
};
