// Random inputs and weights for numerics tests, plus a search for inputs whose float64 forward
// pass stays clear of every decision float32 rounding could flip (threshold, active band, max-over-t).

import { drawDecay } from "../../runtime/model/weight-init.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { packBatch, type SpikeBatch, type SpikeSample } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { referenceForward, type RefForward } from "../reference/forward.ts";
import { referenceMargins, type RefMargins } from "../reference/margins.ts";
import { hasBias, hasRecurrent, refLayers } from "../reference/network.ts";

/** Mix two integers into one seed (so (seed, k) streams do not collide like seed·1000 + k would). */
export function mixSeed(a: number, b: number): number {
  let h = Math.imul((a | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13) ^ (b | 0), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** One sample: every (t, i) spikes with probability `density`; label uniform in [0, classes). */
export function randomSample(steps: number, inputs: number, classes: number, density: number, seed: number): SpikeSample {
  const rng = new Rng(seed);
  const times: number[] = [];
  const units: number[] = [];
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < inputs; i++) {
      if (rng.next() < density) {
        times.push(t);
        units.push(i);
      }
    }
  }
  return { times: Int32Array.from(times), units: Int32Array.from(units), label: rng.int(0, classes - 1) };
}

export function randomBatch(steps: number, inputs: number, batch: number, classes: number, density: number, seed: number): SpikeBatch {
  const samples: SpikeSample[] = [];
  for (let b = 0; b < batch; b++) samples.push(randomSample(steps, inputs, classes, density, mixSeed(seed, b)));
  return packBatch(samples, steps, inputs);
}

/**
 * W_ij = scale·(U(−1, 1) + bias)/√nIn for each [nIn, nOut] layer. The positive bias (default 0.5,
 * so three weights in four are excitatory) makes a fair fraction of hidden neurons fire at
 * scale ≈ 1 and input density ≈ 0.1–0.3.
 */
export function randomWeights(sizes: { nIn: number; nOut: number }[], scale: number, seed: number, bias = 0.5): Float64Array[] {
  return sizes.map(({ nIn, nOut }, k) => {
    const rng = new Rng(mixSeed(seed, k));
    const w = new Float64Array(nIn * nOut);
    for (let n = 0; n < w.length; n++) w[n] = (scale * (rng.uniform(-1, 1) + bias)) / Math.sqrt(nIn);
    return w;
  });
}

/** Fraction of hidden neuron-times (t ≥ 1) that spike, per hidden layer. */
export function firingRates(net: Network, fwd: RefForward): number[] {
  const T = net.steps;
  return fwd.hidden.map((trace) => {
    let spikes = 0;
    for (let n = 0; n < trace.S.length; n++) spikes += trace.S[n];
    return spikes / (trace.S.length * (T - 1) / T);
  });
}

/**
 * Weights for `net` whose hidden layers fire at a moderate rate on `probe`: layer by layer, the
 * scale of randomWeights(…, bias 0.5) is adjusted until the fraction of neuron-times that spike is
 * in [lo, hi] (or 40 tries pass: a layer whose input is silent cannot be helped). The readout
 * gets unbiased U(−1, 1)/√nIn weights, scaled the same way when it spikes. A recurrent layer's R
 * is zero-mean U(−1, 1)/√N and not scaled.
 */
export function calibratedWeights(net: Network, probe: SpikeBatch, seed: number, lo = 0.05, hi = 0.35): Float64Array[] {
  const { hidden, readout } = refLayers(net);
  // A conv layer's weights [F, C, k, k] are drawn like an [C·k·k, F] matrix: fan-in C·k·k.
  const sizes = [...hidden, readout].map((l) => (l.kind === "conv" ? { nIn: l.weights[0].init.fanIn, nOut: l.filters } : { nIn: l.nIn, nOut: l.nOut }));
  const unit = randomWeights(sizes, 1, seed);
  const perLayer: Float64Array[] = unit.map((w) => w.slice());
  perLayer[hidden.length] = randomWeights([sizes[hidden.length]], 1, mixSeed(seed, 99), 0)[0];
  // The flat list in the IR's order: each layer's W, then R if recurrent (zero-mean U(−1, 1)/√N,
  // not calibrated), then its bias if any (small random values, so ∇b and the bias path are
  // exercised). A network without either gets exactly the arrays it always got; a layer with both
  // draws its bias from a stream of its own.
  const weights: Float64Array[] = [];
  const slot: number[] = [];
  [...hidden, readout].forEach((l, k) => {
    slot.push(weights.length);
    weights.push(perLayer[k]);
    const recurrent = hasRecurrent(l);
    if (recurrent) weights.push(randomWeights([{ nIn: l.nOut, nOut: l.nOut }], 1, mixSeed(seed, 200 + k), 0)[0]);
    if (hasBias(l)) {
      const rng = new Rng(mixSeed(seed, (recurrent ? 300 : 200) + k));
      weights.push(Float64Array.from({ length: l.kind === "conv" ? l.filters : l.nOut }, () => rng.uniform(-0.08, 0.12)));
    }
    // Per-neuron decays (role alpha, alpha_syn), drawn as the runtime's init draws them, from a
    // stream of their own (float32, as the kernels hold them).
    l.weights.forEach((t, q) => {
      if (t.role === "rho" || t.role === "beta_adapt") {
        // A trained ALIF layer's ρ and β_a start equal across neurons; spread them (±30% on
        // τ_adapt, ±50% on β_a) so a mixed-up neuron index shows.
        const rng = new Rng(mixSeed(seed, 400 + 10 * k + q));
        const a = new Float32Array(t.size);
        if (t.role === "rho") {
          const tau = t.init.tau!;
          const d = tau.dist.init === "constant" ? tau.dist.value : 0;
          for (let n = 0; n < t.size; n++) a[n] = Math.min(tau.alphaMax, Math.max(tau.alphaMin, Math.fround(Math.exp(-tau.dtMs / (d * rng.uniform(0.7, 1.3))))));
        } else for (let n = 0; n < t.size; n++) a[n] = Math.fround(t.init.value! * rng.uniform(0.5, 1.5));
        weights.push(Float64Array.from(a));
        return;
      }
      if (t.role !== "alpha" && t.role !== "alpha_syn") return;
      const a = new Float32Array(t.size);
      drawDecay(a, t.init, new Rng(mixSeed(seed, 400 + 10 * k + q)));
      weights.push(Float64Array.from(a));
    });
  });
  // A spiking readout is calibrated too (after the hidden layers), from its unbiased draw.
  const calibrated = readout.neuron ? hidden.length + 1 : hidden.length;
  const base = perLayer.map((w, k) => (k < hidden.length ? unit[k] : w.slice()));
  for (let k = 0; k < calibrated; k++) {
    let scale = 1;
    for (let attempt = 0; attempt < 40; attempt++) {
      for (let n = 0; n < base[k].length; n++) weights[slot[k]][n] = scale * base[k][n];
      const rate = firingRates(net, referenceForward(net, weights, probe))[k];
      if (rate < lo) scale *= 1.4;
      else if (rate > hi) scale /= 1.3;
      else break;
    }
  }
  return weights;
}

export interface MarginOptions {
  /** Required distance from every flip point (default 1e-4). */
  minMargin?: number;
  /** Also require the band margin (default true; only the sparse/truncated backward needs it). */
  band?: boolean;
}

/** Whether margins clear minMargin: threshold, band (unless band: false) and argmaxGap if present. */
export function marginsClear(m: { threshold: number; band: number; argmaxGap?: number }, opts: MarginOptions = {}): boolean {
  const min = opts.minMargin ?? 1e-4;
  if (!(m.threshold > min)) return false;
  if ((opts.band ?? true) && !(m.band > min)) return false;
  if (m.argmaxGap !== undefined && !(m.argmaxGap > min)) return false;
  return true;
}

/**
 * Generic retry: call attempt(seed) for seed = firstSeed, firstSeed + 1, … until margins(value)
 * clear minMargin. Throws after maxTries with the best margins seen.
 */
export function findTieFreeInputs<T>(
  attempt: (seed: number) => T,
  margins: (value: T) => { threshold: number; band: number; argmaxGap?: number },
  opts: MarginOptions & { firstSeed?: number; maxTries?: number } = {},
): { value: T; seed: number; tries: number; margins: { threshold: number; band: number; argmaxGap?: number } } {
  const first = opts.firstSeed ?? 0;
  const maxTries = opts.maxTries ?? 200;
  let best: { threshold: number; band: number; argmaxGap?: number } | undefined;
  for (let k = 0; k < maxTries; k++) {
    const value = attempt(first + k);
    const m = margins(value);
    if (marginsClear(m, opts)) return { value, seed: first + k, tries: k + 1, margins: m };
    if (!best || Math.min(m.threshold, m.band) > Math.min(best.threshold, best.band)) best = m;
  }
  throw new Error(`findTieFreeInputs: no tie-free inputs in ${maxTries} tries (best margins ${JSON.stringify(best)})`);
}

export interface TieFreeCase {
  weights: Float64Array[];
  batch: SpikeBatch;
  fwd: RefForward;
  margins: RefMargins;
  /** Samples drawn in all (≥ batch). */
  tries: number;
}

/**
 * Weights (calibrated to fire) and a batch of net.training.batch samples whose reference forward
 * pass clears the margins. Samples are independent in the forward pass, so each sample is
 * searched for on its own (a whole-batch retry would need B times more luck).
 */
export function tieFreeCase(
  net: Network,
  seed: number,
  opts: MarginOptions & { density?: number; batch?: number; maxTries?: number } = {},
): TieFreeCase {
  const B = opts.batch ?? net.training.batch;
  const density = opts.density ?? 0.2;
  const T = net.steps;
  const nIn = net.input.size;
  const probe = randomBatch(T, nIn, Math.max(B, 4), net.classes, density, mixSeed(seed, 1));
  const weights = calibratedWeights(net, probe, mixSeed(seed, 2));
  const maxTries = opts.maxTries ?? 200;
  const samples: SpikeSample[] = [];
  let tries = 0;
  for (let b = 0; b < B; b++) {
    const found = findTieFreeInputs(
      (s) => randomSample(T, nIn, net.classes, density, mixSeed(mixSeed(seed, 3 + b), s)),
      (sample) => referenceMargins(net, referenceForward(net, weights, packBatch([sample], T, nIn))),
      { ...opts, maxTries },
    );
    samples.push(found.value);
    tries += found.tries;
  }
  const batch = packBatch(samples, T, nIn);
  const fwd = referenceForward(net, weights, batch);
  return { weights, batch, fwd, margins: referenceMargins(net, fwd), tries };
}
