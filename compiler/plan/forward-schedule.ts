// How a LIF stage's forward orders its work. Step by step, the input currents of step t are summed
// and every neuron advanced before step t+1 starts: the only order a recurrent layer allows (its
// own spikes of step t feed step t+1). Time-parallel, the input currents of every step are summed
// first (many rows of W in flight, no state update between them), then each neuron is scanned
// over the steps with its state in registers: fewer passes over the state and vectorised
// currents, at the price of a (T−1)×N buffer of currents per sample (docs/design.md §4).

import type { ConvLayer, DenseLayer, SpikingLayer } from "../ir/types.ts";
import type { ForwardSchedule } from "./types.ts";
import type { PlanOptions } from "./plan-options.ts";

/** The default limit on a time-parallel stage's currents per sample: about half a CPU core's L2,
 *  so a scan would read them back from cache. The CPU backend builds no time-parallel plan; the
 *  CUDA backend sets its own limit (CUDA_MAX_CURRENTS_BYTES). */
export const TIME_PARALLEL_MAX_BYTES = 1 << 20;

export interface ScheduleChoice {
  forward: ForwardSchedule;
  /** Why, in words, for `snnc inspect`. */
  why: string;
}

/** Bytes of a time-parallel stage's currents per sample: I[t] for t = 0 … T−2 (the input of the
 *  last step would act on V[T], which is not simulated), one f32 per neuron. */
export function currentsBytesPerSample(steps: number, neurons: number): number {
  return Math.max(0, steps - 1) * neurons * 4;
}

export function chooseForward(
  layer: SpikingLayer,
  connectivity: DenseLayer["kind"] | ConvLayer["kind"],
  recurrent: boolean,
  steps: number,
  opts: PlanOptions,
): ScheduleChoice {
  const step = (why: string): ScheduleChoice => ({ forward: "step-by-step", why });
  if ((opts.timeParallel ?? "off") === "off") return step("time-parallel currents are off for this plan");
  if (recurrent) return step("recurrent: the spikes of step t feed the currents of step t+1");
  if (connectivity === "conv")
    return step(`conv: no time-parallel conv forward is generated (every step's currents would be ${((currentsBytesPerSample(steps, layer.nOut)) / 2 ** 20).toFixed(1)} MiB per sample)`);
  if (steps < 2) return step("one step: no input current acts (the input of step 0 would act on V[1])");
  const bytes = currentsBytesPerSample(steps, layer.nOut);
  const max = opts.maxCurrentsBytes ?? TIME_PARALLEL_MAX_BYTES;
  if (bytes > max)
    return step(`the currents of every step (${(bytes / 2 ** 20).toFixed(1)} MiB per sample) exceed ${max / 2 ** 20} MiB`);
  return { forward: "time-parallel", why: `every step's currents first (${Math.ceil(bytes / 1024)} KiB per sample), then one scan per neuron` };
}
