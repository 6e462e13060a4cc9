// The lines `snnc train` and `snnc eval` print.

import type { EpochRecord } from "./run-dir.ts";
import type { LayerSummary, SplitSummary } from "./stats.ts";

export const percent = (x: number, digits = 1) => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : "n/a");
const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** "l1 active 2.1% spikes 0.013/step  l2 active …" */
export function activityText(layers: LayerSummary[]): string {
  return layers.map((l) => `${l.id} active ${percent(l.activeFraction)} spikes ${num(l.spikeRate)}/step`).join("  ");
}

/** "epoch 3/5  train loss 0.812 acc 71.2%  test loss 0.790 acc 72.5%  l1 active 2.1% spikes 0.013/step  (41.2 s, 1456 samples/s)" */
export function epochLine(r: EpochRecord): string {
  const parts = [
    `epoch ${r.epoch}/${r.epochs}`,
    `train loss ${num(r.train.loss)} acc ${percent(r.train.accuracy)}`,
    `test loss ${num(r.test.loss)} acc ${percent(r.test.accuracy)}`,
  ];
  const act = activityText(r.test.layers);
  if (act) parts.push(act);
  parts.push(`(${r.seconds.toFixed(1)} s, ${Math.round(r.samplesPerSecond)} samples/s)`);
  return parts.join("  ");
}

/** "test accuracy 84.1%  loss 0.452  (10000 samples, 2.1 s)" */
export function evalLine(s: SplitSummary): string {
  return `test accuracy ${percent(s.accuracy)}  loss ${num(s.loss)}  (${s.samples} samples, ${s.seconds.toFixed(1)} s)`;
}
