// Realistic activity for timing (docs/design.md §4). A freshly initialised network on random input spikes
// is nearly silent (N-MNIST, SHD: active fraction ~1e-7) or saturated, and the sparse backward's
// cost is proportional to the active set, so its speed-up would be flattered. Training moves the
// weights, not the inputs, so the inputs stay as they are (real data, or random spikes at the data
// set's typical density) and each hidden layer's incoming weights are reshaped from the outside:
//
//     W = gain · (W0 + shift · bound)          (bound: the layer's init bound, W0 its initial weights)
//
// Two knobs per layer for two targets: `shift` (a mean drive) sets the active fraction, `gain`
// (the size of one input's kick) sets how many spikes come with it; a trained network reaches
// ~1% active at 0.01–0.02 spikes per neuron per step because its membranes jump across the band.
// Layers are calibrated in order (layer k sees layer k−1's calibrated spikes). For each gain of a
// ladder, bisection on the shift hits the active-fraction target; of those, the gain whose spike
// rate is nearest the target (in log) wins. Only forward passes, on a small batch.

import { feedforward, spikingLayers } from "../../compiler/ir/layers.ts";
import type { SpikeBatch } from "../data/spike-batch.ts";
import type { SnnModel } from "../model/snn-model.ts";
import type { LayerActivity } from "../model/step-stats.ts";

export interface ActivityTarget {
  /** Active fraction of every hidden layer (default 0.01). */
  activeFraction: number;
  /** Spikes per neuron per step (default 1.5 × activeFraction, docs/design.md §4's 0.01–0.02 at 1%). */
  spikeRate: number;
}

export interface LayerCalibration {
  layer: string;
  weight: string;
  gain: number;
  shift: number;
  /** What the calibration batch showed for this layer after its own calibration. */
  activeFraction: number;
  spikeRate: number;
}

export interface Calibration {
  target: ActivityTarget;
  layers: LayerCalibration[];
  /** Forward passes the search took. */
  forwards: number;
}

/** Below this active fraction the sparse/dense ratio says nothing about a trained network. */
export const UNREPRESENTATIVE_BELOW = 0.001;

/** The band the calibration promises (and the test checks): achieved/target within [1/1.5, 1.5]. */
export const CALIBRATION_BAND = 1.5;

export const DEFAULT_TARGET: ActivityTarget = { activeFraction: 0.01, spikeRate: 0.015 };

// Powers of √2: the spike rate at a given active fraction grows with the gain, ~√2 apart is fine enough.
const GAINS = Array.from({ length: 11 }, (_, k) => Math.SQRT2 ** k);
const SHIFT_SCAN = [-1, -0.5, -0.25, -0.1, 0, 0.05, 0.1, 0.2, 0.4];

/** Hidden layers (those the stats report) with the name and init bound of their incoming weights. */
function hiddenWeights(model: SnnModel): { layer: string; weight: string; bound: number }[] {
  const out: { layer: string; weight: string; bound: number }[] = [];
  for (const l of spikingLayers(model.network)) {
    const w = feedforward(l);
    out.push({ layer: l.id, weight: w.name, bound: w.init.bound });
  }
  return out;
}

export function calibrateActivity(model: SnnModel, batch: SpikeBatch, target: ActivityTarget = DEFAULT_TARGET): Calibration {
  const layers = hiddenWeights(model);
  const w0 = new Map(layers.map((l) => [l.weight, model.getWeights(l.weight)]));
  let forwards = 0;
  const result: LayerCalibration[] = [];
  layers.forEach((l, k) => {
    const base = w0.get(l.weight)!;
    const apply = (gain: number, shift: number) => {
      const w = new Float32Array(base.length);
      const s = shift * l.bound;
      for (let i = 0; i < base.length; i++) w[i] = gain * (base[i] + s);
      model.setWeights(l.weight, w);
    };
    const measure = (gain: number, shift: number): LayerActivity => {
      apply(gain, shift);
      forwards++;
      return model.forward(batch).layers[k];
    };
    let best: { gain: number; shift: number; act: LayerActivity; score: number } | null = null;
    for (const gain of GAINS) {
      // Coarse scan for a bracket: the lowest shift below the target and the first one above it.
      let lo: number | null = null;
      let hi: number | null = null;
      let closest: { shift: number; act: LayerActivity } | null = null;
      for (const shift of SHIFT_SCAN) {
        const act = measure(gain, shift);
        if (!closest || Math.abs(Math.log((act.activeFraction + 1e-9) / target.activeFraction)) < Math.abs(Math.log((closest.act.activeFraction + 1e-9) / target.activeFraction)))
          closest = { shift, act };
        if (act.activeFraction < target.activeFraction) lo = shift;
        else {
          hi = shift;
          break;
        }
      }
      let shift = closest!.shift;
      let act = closest!.act;
      if (lo !== null && hi !== null) {
        let [a0, b0] = [lo, hi];
        for (let it = 0; it < 14; it++) {
          const mid: number = (a0 + b0) / 2;
          const a = measure(gain, mid);
          if (a.activeFraction < target.activeFraction) a0 = mid;
          else b0 = mid;
          if (Math.abs(Math.log((a.activeFraction + 1e-9) / target.activeFraction)) < Math.abs(Math.log((act.activeFraction + 1e-9) / target.activeFraction))) {
            shift = mid;
            act = a;
          }
          if (Math.abs(a.activeFraction / target.activeFraction - 1) < 0.03) break;
        }
      }
      // Hitting the active fraction comes first; the spike rate decides between gains that do.
      const actErr = Math.abs(Math.log((act.activeFraction + 1e-9) / target.activeFraction));
      const rateErr = Math.abs(Math.log((act.spikeRate + 1e-9) / target.spikeRate));
      const score = (actErr > Math.log(1.2) ? 100 + actErr : 0) + rateErr;
      if (!best || score < best.score) best = { gain, shift, act, score };
    }
    apply(best!.gain, best!.shift);
    result.push({ layer: l.layer, weight: l.weight, gain: best!.gain, shift: best!.shift, activeFraction: best!.act.activeFraction, spikeRate: best!.act.spikeRate });
  });
  return { target, layers: result, forwards };
}

/** The calibrated weights applied to another model of the same network (the same seed's W0). */
export function applyCalibration(model: SnnModel, cal: Calibration, bounds = hiddenWeights(model)): void {
  for (const c of cal.layers) {
    const bound = bounds.find((b) => b.weight === c.weight)!.bound;
    const w = model.getWeights(c.weight);
    for (let i = 0; i < w.length; i++) w[i] = c.gain * (w[i] + c.shift * bound);
    model.setWeights(c.weight, w);
  }
}

/** A one-line description of what a timing ran at, with the warning when it is not representative. */
export function activityNote(layers: { id: string; activeFraction: number; spikeRate: number }[]): { text: string; representative: boolean } {
  const mean = layers.length ? layers.reduce((a, l) => a + l.activeFraction, 0) / layers.length : 0;
  const text = layers.map((l) => `${l.id} ${(100 * l.activeFraction).toFixed(2)}% active, ${l.spikeRate.toFixed(4)} spikes/neuron/step`).join("; ");
  const representative = mean >= UNREPRESENTATIVE_BELOW;
  return {
    text: representative ? text : `${text} — below 0.1% active: the sparse/dense ratio is not representative of a trained network`,
    representative,
  };
}
