// Initial weights from the IR's resolved init (distribution and bound), drawn from one seed in
// tensor order so every backend starts from the same numbers.

import type { Network, WeightInit } from "../../compiler/ir/types.ts";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { Rng } from "../util/rng.ts";

export function initialWeights(net: Network, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const out = new Map<string, Float32Array>();
  for (const { name, size, init } of weightTensors(net)) {
    const w = new Float32Array(size);
    // Zeros (biases) draw nothing, so the tensors after one get the same numbers as without it.
    if (init.distribution === "tau") drawDecay(w, init, rng);
    else if (init.distribution === "constant") w.fill(init.value!);
    else if (init.distribution !== "zeros")
      for (let k = 0; k < size; k++)
        w[k] = init.distribution === "uniform" ? rng.uniform(-init.bound, init.bound) : init.bound * rng.normal();
    out.set(name, w);
  }
  return out;
}

/** A per-neuron decay: τ drawn from the tensor's distribution (ms), α = exp(−Δt/τ) clamped to
 * [α(τ_min), α(τ_max)] (compiler/spec/tau.ts). "constant" draws nothing. */
export function drawDecay(out: Float32Array, init: WeightInit, rng: Rng): void {
  const t = init.tau!;
  const d = t.dist;
  for (let k = 0; k < out.length; k++) {
    const tau = d.init === "constant" ? d.value : d.init === "uniform" ? rng.uniform(d.min, d.max) : (d.mean / d.k) * gamma(rng, d.k);
    const alpha = Math.fround(Math.exp(-t.dtMs / tau));
    out[k] = Math.min(t.alphaMax, Math.max(t.alphaMin, alpha));
  }
}

/** Gamma(k, 1) by Marsaglia & Tsang (2000); for k < 1, Gamma(k + 1)·U^(1/k). */
function gamma(rng: Rng, k: number): number {
  if (k < 1) return gamma(rng, k + 1) * Math.pow(1 - rng.next(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
