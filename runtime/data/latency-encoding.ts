// Fashion-MNIST latency code of the reference preprocessing (docs/design.md §2): x = pixel/255; a pixel
// with x > θ spikes once, at step ⌊τ_eff·ln(x/(x − θ))⌋, and not at all when that step is ≥ T.
// Bright pixels fire early, pixels at or below θ never fire.
//
// Pixels are 8-bit, so the spike step depends only on the byte value: we evaluate the formula
// once per byte value (256 entries) and encode an image by table lookup. That is exactly the
// per-pixel formula (same float64 arithmetic), and makes lazy per-epoch encoding cheap enough
// that datasets store raw pixels (784 B/image) instead of encoded spikes.

import { eventArrays } from "./event-arrays.ts";
import type { SpikeSample } from "./spike-batch.ts";

export interface LatencyOptions {
  /** τ_eff in steps (tau_eff_ms / dt_ms); the reference uses 20. */
  tauEffSteps: number;
  /** Threshold on x = pixel/255; the reference uses 0.2. */
  theta: number;
  /** T: steps per sample; spikes at steps ≥ T are dropped. */
  steps: number;
}

/** Spike step for one intensity x in [0, 1], or -1 for no spike. */
export function latencyStep(x: number, opts: LatencyOptions): number {
  if (!(x > opts.theta)) return -1;
  const step = Math.floor(opts.tauEffSteps * Math.log(x / (x - opts.theta)));
  return step < opts.steps ? step : -1;
}

/** Spike step for each byte value 0…255 (-1 = no spike). */
export function latencyTable(opts: LatencyOptions): Int32Array {
  checkOptions(opts);
  const table = new Int32Array(256);
  for (let v = 0; v < 256; v++) table[v] = latencyStep(v / 255, opts);
  return table;
}

export type PixelEncoder = (pixels: Uint8Array, label: number) => SpikeSample;

/** An encoder with the lookup table built once; use it for many images. */
export function makeLatencyEncoder(opts: LatencyOptions): PixelEncoder {
  const table = latencyTable(opts);
  const steps = opts.steps;
  const start = new Int32Array(steps + 1); // reused: an array per image cost more than the encoding
  return (pixels, label) => encodeWithTable(pixels, label, table, steps, start);
}

/** Encode one image (flat, C·H·W order); events sorted by time then unit. */
export function latencyEncode(pixels: Uint8Array, label: number, opts: LatencyOptions): SpikeSample {
  return encodeWithTable(pixels, label, latencyTable(opts), opts.steps);
}

function encodeWithTable(pixels: Uint8Array, label: number, table: Int32Array, steps: number, start = new Int32Array(steps + 1)): SpikeSample {
  // Counting sort by step; scanning pixels in unit order keeps units ascending within a step.
  start.fill(0);
  let n = 0;
  for (let i = 0; i < pixels.length; i++) {
    const s = table[pixels[i]];
    if (s >= 0) {
      start[s + 1]++;
      n++;
    }
  }
  for (let t = 0; t < steps; t++) start[t + 1] += start[t];
  const { times, units } = eventArrays(n);
  for (let i = 0; i < pixels.length; i++) {
    const s = table[pixels[i]];
    if (s >= 0) {
      const k = start[s]++;
      times[k] = s;
      units[k] = i;
    }
  }
  return { times, units, label };
}

function checkOptions(opts: LatencyOptions): void {
  if (!(opts.tauEffSteps > 0) || !Number.isFinite(opts.tauEffSteps)) {
    throw new RangeError(`latency encoding: tauEffSteps must be a positive number, got ${opts.tauEffSteps}`);
  }
  if (!(opts.theta >= 0 && opts.theta < 1)) {
    throw new RangeError(`latency encoding: theta must be in [0, 1), got ${opts.theta}`);
  }
  if (!Number.isInteger(opts.steps) || opts.steps < 1) {
    throw new RangeError(`latency encoding: steps must be a positive integer, got ${opts.steps}`);
  }
}
