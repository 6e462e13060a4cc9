// Float64 forward pass of docs/design.md §2, written for clarity: spiking layers (dense or conv LIF),
// max-pools (an OR over each window), sum-pools (the spike count of each window) and flattens (the
// identity on the flat CHW index), then one non-spiking readout. Arrays are [b][t][j] flattened:
// index (b·T + t)·N + j. A layer's input holds spikes (0/1), or counts after a sum-pool.

import type { ConvLayer, DenseLayer, MaxPoolLayer, Network, ReadoutLayer, SumPoolLayer } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { activityLow, activityUp, sampleCrossEntropy } from "./loss.ts";
import { checkShapes, chw, denseInput, hasBias, hasRecurrent, decaySlots } from "./network.ts";
import { lifLayer } from "./lif-layer.ts";

export interface RefLayerTrace {
  /** Membrane potential, B·T·N, index (b·T + t)·N + j. V[t = 0] = 0. */
  V: Float64Array;
  /** Per-neuron τ only: what the leak multiplies at step t, u'[t] (V[t] − V_rest, or the reset
   *  modes' V' − V_rest), and with CuBa J[t]; same layout. ∂L/∂α and ∂L/∂α_syn are sums over them. */
  U?: Float64Array;
  J?: Float64Array;
  /** The per-neuron decays the layer ran with (null: the layer's constant). */
  alphas?: Float64Array | null;
  alphaSyns?: Float64Array | null;
  /** A trained ALIF layer's per-neuron ρ and β_a (absent: the layer's constants). */
  rhos?: Float64Array | null;
  betaAdapts?: Float64Array | null;
  /** Spikes 0/1, same layout. S[t = 0] = 0. */
  S: Uint8Array;
  /** ALIF only: the adaptation a[t], same layout (V above is then V − β_a·a, the threshold-facing
   *  membrane the kernels record). */
  A?: Float64Array;
}

export interface RefForward {
  /** One per spiking layer (dense or conv), in order, then the spiking readout's if it spikes. */
  hidden: RefLayerTrace[];
  /** The input of every layer (by position in net.layers), B·T·nIn: spikes, or a sum-pool's counts. */
  layerInputs: Uint8Array[];
  /** Readout membrane potential, B·T·C (a spiking readout's V, with its resets). */
  readoutV: Float64Array;
  /** B·C */
  logits: Float64Array;
  /** B·C: the t chosen by the max (first maximising t), or −1 for sum and spike-count logits. */
  argmax: Int32Array;
  /** total = ce + low + up; low and up are already (1/B)·Σ_b Σ_layers. */
  loss: { total: number; ce: number; low: number; up: number };
  /** Samples whose largest logit (first maximiser on ties) is the label. */
  correct: number;
  /** Per spiking layer (as `hidden`), B·N: ζ = Σ_t S[t]. */
  spikeCounts: Float64Array[];
}

export function referenceForward(net: Network, weights: Float64Array[], batch: SpikeBatch): RefForward {
  const layers = checkShapes(net, weights, batch);
  const B = batch.batch;
  const T = net.steps;

  let input = denseInput(batch);
  const hidden: RefLayerTrace[] = [];
  const layerInputs: Uint8Array[] = [];
  let w = 0;
  let readoutV: Float64Array = new Float64Array(0);
  for (const layer of net.layers) {
    layerInputs.push(input);
    switch (layer.kind) {
      case "dense":
      case "conv": {
        const I = layer.kind === "dense" ? denseCurrents(layer, weights[w++], input, B, T) : convCurrents(layer, weights[w++], input, B, T);
        // Tensors in the IR's order: W, then R if recurrent, then the bias (folded into I here).
        const R = hasRecurrent(layer) ? weights[w++] : null;
        if (hasBias(layer)) addBias(I, weights[w++], layer.kind === "conv" ? layer.nOut / layer.filters : 1);
        // Per-neuron decays last (role alpha, then alpha_syn; or a trained ALIF's rho, then beta_adapt).
        const slots = decaySlots(layer);
        const next = (slot: number | null) => (slot === null ? null : weights[w++]);
        const decays = { alpha: next(slots.alpha), alphaSyn: next(slots.alphaSyn), rho: next(slots.rho), betaAdapt: next(slots.betaAdapt) };
        const trace = lifLayer(layer, I, R, B, T, 1, decays);
        hidden.push(trace);
        input = trace.S;
        break;
      }
      case "maxpool":
        input = maxPool(layer, input, B, T);
        break;
      case "sumpool":
        input = sumPool(layer, input, B, T);
        break;
      case "flatten":
        break;
      case "readout": {
        const I = denseCurrents(layer, weights[w++], input, B, T);
        const R = hasRecurrent(layer) ? weights[w++] : null;
        if (hasBias(layer)) addBias(I, weights[w++], 1);
        if (layer.neuron) {
          // A spiking readout: a LIF layer (R optional) on the scaled current; logits = spike counts.
          const trace = lifLayer({ nOut: layer.nOut, neuron: layer.neuron }, I, R, B, T, layer.inputScale);
          hidden.push(trace);
          readoutV = trace.V;
        } else readoutV = readoutLayer(layer, I, B, T);
        break;
      }
    }
  }

  const readout = layers.readout;
  const C = readout.nOut;
  const logits = new Float64Array(B * C);
  const argmax = new Int32Array(B * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      if (readout.logits === "spike_count") {
        let count = 0;
        for (let t = 0; t < T; t++) count += hidden[hidden.length - 1].S[(b * T + t) * C + c];
        argmax[b * C + c] = -1;
        logits[b * C + c] = count;
      } else if (readout.logits === "max") {
        let best = 0;
        for (let t = 1; t < T; t++) {
          if (readoutV[(b * T + t) * C + c] > readoutV[(b * T + best) * C + c]) best = t;
        }
        argmax[b * C + c] = best;
        logits[b * C + c] = readoutV[(b * T + best) * C + c];
      } else {
        let sum = 0;
        for (let t = 0; t < T; t++) sum += readoutV[(b * T + t) * C + c];
        argmax[b * C + c] = -1;
        logits[b * C + c] = sum;
      }
    }
  }

  // ζ of every spiking layer (a spiking readout's last); the penalties below use the hidden ones only.
  const spikeCounts = hidden.map((trace) => counts(trace.S, B, T, trace.S.length / (B * T)));

  let ce = 0;
  let low = 0;
  let up = 0;
  let correct = 0;
  for (let b = 0; b < B; b++) {
    const a = logits.subarray(b * C, (b + 1) * C);
    const y = batch.labels[b];
    if (!(y >= 0 && y < C)) throw new RangeError(`reference: label ${y} of sample ${b} not in [0, ${C})`);
    ce += sampleCrossEntropy(a, y);
    let best = 0;
    for (let c = 1; c < C; c++) if (a[c] > a[best]) best = c;
    if (best === y) correct++;
    layers.hidden.forEach((layer, k) => {
      const N = layer.nOut;
      const zeta = spikeCounts[k].subarray(b * N, (b + 1) * N);
      low += activityLow(zeta, net.loss.activityLow);
      up += activityUp(zeta, net.loss.activityUp);
    });
  }
  ce /= B;
  low /= B;
  up /= B;

  return { hidden, layerInputs, readoutV, logits, argmax, loss: { total: ce + low + up, ce, low, up }, correct, spikeCounts };
}

/** I[b][t][j] = Σ_i S_in,i[t]·W[i][j] (W is [nIn, nOut] row-major; S_in a count after a sum-pool). */
function denseCurrents(layer: DenseLayer | ReadoutLayer, W: Float64Array, input: Uint8Array, B: number, T: number): Float64Array {
  const { nIn, nOut: N } = layer;
  const I = new Float64Array(B * T * N);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let j = 0; j < N; j++) {
        let current = 0;
        for (let i = 0; i < nIn; i++) {
          const s = input[(b * T + t) * nIn + i];
          if (s) current += s * W[i * N + j];
        }
        I[(b * T + t) * N + j] = current;
      }
  return I;
}

/** I[b][t][f][yo][xo] = Σ_{c,ky,kx} W[f][c][ky][kx]·S_in[c][yo·s − p + ky][xo·s − p + kx][t], zero outside the image. */
function convCurrents(layer: ConvLayer, W: Float64Array, input: Uint8Array, B: number, T: number): Float64Array {
  const [C, H, Wd] = chw(layer.inShape);
  const [F, Ho, Wo] = chw(layer.outShape);
  const { kernel: K, stride: S, padding: P, nIn, nOut: N } = layer;
  const I = new Float64Array(B * T * N);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * nIn;
      for (let f = 0; f < F; f++)
        for (let yo = 0; yo < Ho; yo++)
          for (let xo = 0; xo < Wo; xo++) {
            let current = 0;
            for (let c = 0; c < C; c++)
              for (let ky = 0; ky < K; ky++)
                for (let kx = 0; kx < K; kx++) {
                  const y = yo * S - P + ky;
                  const x = xo * S - P + kx;
                  if (y < 0 || y >= H || x < 0 || x >= Wd) continue;
                  const s = input[row + (c * H + y) * Wd + x];
                  if (s) current += s * W[((f * C + c) * K + ky) * K + kx];
                }
            I[(b * T + t) * N + (f * Ho + yo) * Wo + xo] = current;
          }
    }
  return I;
}

/** I[b][t][j] += b[j / span] at every step (the bias acts on every update; span = positions per filter for conv). */
function addBias(I: Float64Array, bias: Float64Array, span: number): void {
  const N = bias.length * span;
  for (let n = 0; n < I.length; n++) I[n] += bias[Math.floor((n % N) / span)];
}

/** out[c][yo][xo][t] = the k×k window (stride k) of the input folded by `fold` from 0; rows and
 * columns no whole window covers are dropped. */
function poolWindows(layer: MaxPoolLayer | SumPoolLayer, input: Uint8Array, B: number, T: number, fold: (acc: number, x: number) => number): Uint8Array {
  const [C, H, W] = chw(layer.inShape);
  const [, Ho, Wo] = chw(layer.outShape);
  const k = layer.size;
  const { nIn, nOut } = layer;
  const out = new Uint8Array(B * T * nOut);
  for (let bt = 0; bt < B * T; bt++)
    for (let c = 0; c < C; c++)
      for (let yo = 0; yo < Ho; yo++)
        for (let xo = 0; xo < Wo; xo++) {
          let acc = 0;
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) acc = fold(acc, input[bt * nIn + (c * H + yo * k + ky) * W + xo * k + kx]);
          out[bt * nOut + (c * Ho + yo) * Wo + xo] = acc;
        }
  return out;
}

/** Max-pool on spikes: S_out[c][yo][xo][t] = OR of S_in over the k×k window (stride k). */
function maxPool(layer: MaxPoolLayer, input: Uint8Array, B: number, T: number): Uint8Array {
  return poolWindows(layer, input, B, T, Math.max);
}

/** Sum-pool: the window's spike count (it must fit the byte the reference stores it in). */
function sumPool(layer: SumPoolLayer, input: Uint8Array, B: number, T: number): Uint8Array {
  return poolWindows(layer, input, B, T, (acc, x) => {
    if (acc + x > 255) throw new RangeError(`reference: sum-pool ${layer.id} count ${acc + x} does not fit a byte`);
    return acc + x;
  });
}

/** The readout: no spikes, no reset, input current (bias included) scaled by inputScale; with CuBa
 * synapses the scaled current feeds J and J[t+1] drives V[t+1]. Returns V, B·T·C. */
function readoutLayer(layer: ReadoutLayer, I: Float64Array, B: number, T: number): Float64Array {
  const C = layer.nOut;
  const { alpha, vRest, inputScale } = layer;
  const alphaSyn = layer.synapse?.alphaSyn ?? null;
  const V = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      let J = 0;
      for (let t = 0; t + 1 < T; t++) {
        const v = V[(b * T + t) * C + c];
        const current = inputScale * I[(b * T + t) * C + c];
        if (alphaSyn !== null) J = alphaSyn * J + current;
        V[(b * T + t + 1) * C + c] = alpha * (v - vRest) + vRest + (alphaSyn !== null ? J : current);
      }
    }
  }
  return V;
}

function counts(S: Uint8Array, B: number, T: number, N: number): Float64Array {
  const zeta = new Float64Array(B * N);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < N; j++) zeta[b * N + j] += S[(b * T + t) * N + j];
    }
  }
  return zeta;
}
