// Float64 forward pass of docs/design.md §2, written for clarity: spiking layers (dense or conv LIF),
// max-pools (an OR over each window) and flattens (the identity on the flat CHW index), then one
// non-spiking readout. Arrays are [b][t][j] flattened: index (b·T + t)·N + j.

import type { ConvLayer, DenseLayer, MaxPoolLayer, Network, ReadoutLayer } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { activityLow, activityUp, sampleCrossEntropy } from "./loss.ts";
import { checkShapes, chw, denseInput } from "./network.ts";
import { recurrentLifLayer } from "./recurrent.ts";

export interface RefLayerTrace {
  /** Membrane potential, B·T·N, index (b·T + t)·N + j. V[t = 0] = 0. */
  V: Float64Array;
  /** Spikes 0/1, same layout. S[t = 0] = 0. */
  S: Uint8Array;
}

export interface RefForward {
  /** One per spiking layer (dense or conv), in order, then the spiking readout's if it spikes. */
  hidden: RefLayerTrace[];
  /** The input spikes of every layer (by position in net.layers), B·T·nIn. */
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
        const recurrent = layer.kind === "dense" && layer.weights.length > 1;
        const trace = recurrent ? recurrentLifLayer(layer, I, weights[w++], B, T) : lifLayer(layer, I, B, T);
        hidden.push(trace);
        input = trace.S;
        break;
      }
      case "maxpool":
        input = maxPool(layer, input, B, T);
        break;
      case "flatten":
        break;
      case "readout":
        if (layer.neuron) {
          // A spiking readout: a LIF layer (R optional) on the scaled current; logits = spike counts.
          const I = denseCurrents(layer, weights[w++], input, B, T);
          const R = layer.weights.length > 1 ? weights[w++] : null;
          const trace = recurrentLifLayer({ nOut: layer.nOut, neuron: layer.neuron }, I, R, B, T, layer.inputScale);
          hidden.push(trace);
          readoutV = trace.V;
        } else readoutV = readoutLayer(layer, denseCurrents(layer, weights[w++], input, B, T), B, T);
        break;
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

/** I[b][t][j] = Σ_i S_in,i[t]·W[i][j] (W is [nIn, nOut] row-major). */
function denseCurrents(layer: DenseLayer | ReadoutLayer, W: Float64Array, input: Uint8Array, B: number, T: number): Float64Array {
  const { nIn, nOut: N } = layer;
  const I = new Float64Array(B * T * N);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let j = 0; j < N; j++) {
        let current = 0;
        for (let i = 0; i < nIn; i++) if (input[(b * T + t) * nIn + i]) current += W[i * N + j];
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
                  if (input[row + (c * H + y) * Wd + x]) current += W[((f * C + c) * K + ky) * K + kx];
                }
            I[(b * T + t) * N + (f * Ho + yo) * Wo + xo] = current;
          }
    }
  return I;
}

/** The LIF update of docs/design.md §2 from per-step input currents I (B·T·N; I at t acts on V[t+1]). */
function lifLayer(layer: DenseLayer | ConvLayer, I: Float64Array, B: number, T: number): RefLayerTrace {
  const N = layer.nOut;
  const { alpha, vRest, vTh, resetAmount } = layer.neuron;
  const V = new Float64Array(B * T * N);
  const S = new Uint8Array(B * T * N);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < N; j++) {
      // V[0] = 0 and S[0] = 0 (already zero).
      for (let t = 0; t + 1 < T; t++) {
        const v = V[(b * T + t) * N + j];
        const s = S[(b * T + t) * N + j];
        const vNext = alpha * (v - vRest) + vRest + I[(b * T + t) * N + j] - resetAmount * s;
        V[(b * T + t + 1) * N + j] = vNext;
        S[(b * T + t + 1) * N + j] = vNext - vTh > 0 ? 1 : 0;
      }
    }
  }
  return { V, S };
}

/** Max-pool on spikes: S_out[c][yo][xo][t] = OR of S_in over the k×k window (stride k). */
function maxPool(layer: MaxPoolLayer, input: Uint8Array, B: number, T: number): Uint8Array {
  const [C, H, W] = chw(layer.inShape);
  const [, Ho, Wo] = chw(layer.outShape);
  const k = layer.size;
  const { nIn, nOut } = layer;
  const out = new Uint8Array(B * T * nOut);
  for (let bt = 0; bt < B * T; bt++)
    for (let c = 0; c < C; c++)
      for (let yo = 0; yo < Ho; yo++)
        for (let xo = 0; xo < Wo; xo++) {
          let s = 0;
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) s = Math.max(s, input[bt * nIn + (c * H + yo * k + ky) * W + xo * k + kx]);
          out[bt * nOut + (c * Ho + yo) * Wo + xo] = s;
        }
  return out;
}

/** The readout: no spikes, no reset, input current scaled by inputScale. Returns V, B·T·C. */
function readoutLayer(layer: ReadoutLayer, I: Float64Array, B: number, T: number): Float64Array {
  const C = layer.nOut;
  const { alpha, vRest, inputScale } = layer;
  const V = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      for (let t = 0; t + 1 < T; t++) {
        const v = V[(b * T + t) * C + c];
        V[(b * T + t + 1) * C + c] = alpha * (v - vRest) + vRest + inputScale * I[(b * T + t) * C + c];
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
