// The few numbers the host reads back after a step, decoded from the addon's stats buffer by the
// plan's stats layout (compiler/plan/stats-layout.ts).

import type { Network } from "../../compiler/ir/types.ts";
import { spikingLayers } from "../../compiler/ir/layers.ts";
import { STAT, statsLayout } from "../../compiler/plan/stats-layout.ts";

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
  /** Global L2 norm of the step's weight gradients before clipping (null: the spec does not clip,
   *  so it is not computed; 0 after a forward alone). */
  gradNorm: number | null;
  layers: LayerActivity[];
}

export function decodeStats(net: Network, raw: Float64Array, batch: number): StepStats {
  const spiking = spikingLayers(net);
  const layout = statsLayout(spiking.map((l) => l.id));
  if (raw.length !== layout.length) throw new Error(`internal error: stats of ${raw.length} values, the layout has ${layout.length}`);
  const ce = raw[STAT.crossEntropy];
  const low = raw[STAT.activityLow];
  const up = raw[STAT.activityUp];
  const correct = raw[STAT.correct];
  return {
    batch,
    loss: (ce + low + up) / batch,
    crossEntropy: ce / batch,
    activityLow: low / batch,
    activityUp: up / batch,
    correct,
    accuracy: correct / batch,
    regrows: raw[STAT.regrows],
    gradNorm: net.training.clipGradNorm === null ? null : Math.sqrt(raw[STAT.gradSq]),
    layers: spiking.map((l, k) => {
      const cells = batch * net.steps * l.nOut;
      const spikes = raw[layout.layers[k].spikes.index];
      const active = raw[layout.layers[k].active.index];
      return { id: l.id, spikes, active, spikeRate: spikes / cells, activeFraction: active / cells };
    }),
  };
}
