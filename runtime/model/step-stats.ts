// The few numbers the host reads back after a step, decoded from the addon's stats buffer
// ([ce_sum, low_sum, up_sum, correct, regrows, (spikes, active) per hidden layer]).

import type { Network } from "../../compiler/ir/types.ts";

export interface LayerActivity {
  id: string;
  /** Spikes in the batch. */
  spikes: number;
  /** Active neuron-times (|V − V_th| < B_th) in the batch. */
  active: number;
  /** Spikes per neuron per step. */
  spikeRate: number;
  /** Fraction of neuron-times that were active: the sparse backward's work. */
  activeFraction: number;
}

export interface StepStats {
  batch: number;
  /** L = CE + penalties, averaged over the batch. */
  loss: number;
  crossEntropy: number;
  activityLow: number;
  activityUp: number;
  correct: number;
  accuracy: number;
  /** Times the active-set buffers had to grow during this step. */
  regrows: number;
  layers: LayerActivity[];
}

export function decodeStats(net: Network, raw: Float64Array, batch: number): StepStats {
  const hidden = net.layers.filter((l) => l.kind === "dense" || l.kind === "conv");
  const [ce, low, up, correct, regrows] = raw;
  return {
    batch,
    loss: (ce + low + up) / batch,
    crossEntropy: ce / batch,
    activityLow: low / batch,
    activityUp: up / batch,
    correct,
    accuracy: correct / batch,
    regrows,
    layers: hidden.map((l, k) => {
      const cells = batch * net.steps * l.nOut;
      const spikes = raw[5 + 2 * k];
      const active = raw[6 + 2 * k];
      return { id: l.id, spikes, active, spikeRate: spikes / cells, activeFraction: active / cells };
    }),
  };
}
