// The lines `snnc train` and `snnc eval` print.

import type { EpochRecord } from "./run-dir.ts";
import type { LayerSummary, SplitSummary } from "./stats.ts";

export const percent = (x: number, digits = 1) => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : "n/a");
const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** "l1 active 2.1% spikes 0.013/step  l2 active …" */
export function activityText(layers: LayerSummary[]): string {
  return layers.map((l) => `${l.id} active ${percent(l.activeFraction)} spikes ${num(l.spikeRate)}/step`).join("  ");
}

/** "epoch 3/5  train loss 0.812 acc 71.2%  val loss 0.801 acc 72.0%  test loss 0.790 acc 72.5%  l1 active 2.1% spikes 0.013/step  (41.2 s, 1456 samples/s)"
 *  (no "val" part in runs without a validation split). */
export function epochLine(r: EpochRecord): string {
  const parts = [
    `epoch ${r.epoch}/${r.epochs}`,
    `train loss ${num(r.train.loss)} acc ${percent(r.train.accuracy)}`,
    ...(r.val ? [`val loss ${num(r.val.loss)} acc ${percent(r.val.accuracy)}`] : []),
    `test loss ${num(r.test.loss)} acc ${percent(r.test.accuracy)}`,
  ];
  const act = activityText(r.test.layers);
  if (act) parts.push(act);
  parts.push(`(${r.seconds.toFixed(1)} s, ${Math.round(r.samplesPerSecond)} samples/s)`);
  return parts.join("  ");
}

/** The epoch line fitted to a terminal `columns` wide (unlimited when undefined: logs and pipes
 *  get the one-line form). Too wide: the activity goes to indented lines of its own, under
 *  "epoch 3/10  train 0.650 80.3%  test 0.621 80.9%  5.6 s, 12211 samples/s"; narrower still:
 *  "3/10 train 0.650 80.3% test 0.621 80.9% 5.6 s", then that on two lines. */
export function epochLines(r: EpochRecord, columns?: number): string[] {
  const full = epochLine(r);
  if (columns === undefined || full.length < columns) return [full];
  const room = Math.max(20, columns - 1);
  const [trainLoss, trainAcc, testLoss, testAcc] = [num(r.train.loss), percent(r.train.accuracy), num(r.test.loss), percent(r.test.accuracy)];
  const val = r.val ? ` val ${num(r.val.loss)} ${percent(r.val.accuracy)}` : "";
  const seconds = `${r.seconds.toFixed(1)} s`;
  const forms: [string[], string[]][] = [
    [
      [`epoch ${r.epoch}/${r.epochs}  train ${trainLoss} ${trainAcc}${val ? ` ${val}` : ""}  test ${testLoss} ${testAcc}  ${seconds}, ${Math.round(r.samplesPerSecond)} samples/s`],
      r.test.layers.map((l) => `${l.id} active ${percent(l.activeFraction)} spikes ${num(l.spikeRate)}/step`),
    ],
    [[`${r.epoch}/${r.epochs} train ${trainLoss} ${trainAcc}${val} test ${testLoss} ${testAcc} ${seconds}`], r.test.layers.map((l) => `${l.id} ${percent(l.activeFraction)} ${num(l.spikeRate)}/step`)],
    [
      [`${r.epoch}/${r.epochs} train ${trainLoss} ${trainAcc}${val}`, `  test ${testLoss} ${testAcc} ${seconds}`],
      r.test.layers.map((l) => `${l.id} ${percent(l.activeFraction)} ${num(l.spikeRate)}/step`),
    ],
  ];
  const [head, items] = forms.find(([h]) => h.every((l) => l.length <= room)) ?? forms[forms.length - 1];
  const lines = [...head];
  let line = "";
  for (const item of items) {
    if (line !== "" && 2 + line.length + 2 + item.length > room) {
      lines.push(`  ${line}`);
      line = "";
    }
    line = line === "" ? item : `${line}  ${item}`;
  }
  if (line !== "") lines.push(`  ${line}`);
  return lines;
}

/** "test accuracy 84.1%  loss 0.452  (10000 samples, 2.1 s)" */
export function evalLine(s: SplitSummary): string {
  return `test accuracy ${percent(s.accuracy)}  loss ${num(s.loss)}  (${s.samples} samples, ${s.seconds.toFixed(1)} s)`;
}
