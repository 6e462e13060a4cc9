// Float64 forward pass of DESIGN.md §2, written for clarity: dense LIF hidden layers, then one
// non-spiking readout. Arrays are [b][t][j] flattened: index (b·T + t)·N + j.

import type { DenseLayer, Network, ReadoutLayer } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { activityLow, activityUp, sampleCrossEntropy } from "./loss.ts";
import { checkShapes, denseInput } from "./network.ts";

export interface RefLayerTrace {
  /** Membrane potential, B·T·N, index (b·T + t)·N + j. V[t = 0] = 0. */
  V: Float64Array;
  /** Spikes 0/1, same layout. S[t = 0] = 0. */
  S: Uint8Array;
}

export interface RefForward {
  hidden: RefLayerTrace[];
  /** Readout membrane potential, B·T·C. */
  readoutV: Float64Array;
  /** B·C */
  logits: Float64Array;
  /** B·C: the t chosen by the max (first maximising t), or −1 for sum logits. */
  argmax: Int32Array;
  /** total = ce + low + up; low and up are already (1/B)·Σ_b Σ_layers. */
  loss: { total: number; ce: number; low: number; up: number };
  /** Samples whose largest logit (first maximiser on ties) is the label. */
  correct: number;
  /** Per hidden layer, B·N: ζ = Σ_t S[t]. */
  spikeCounts: Float64Array[];
}

export function referenceForward(net: Network, weights: Float64Array[], batch: SpikeBatch): RefForward {
  const layers = checkShapes(net, weights, batch);
  const B = batch.batch;
  const T = net.steps;

  let input = denseInput(batch);
  let nIn = net.input.size;
  const hidden: RefLayerTrace[] = [];
  layers.hidden.forEach((layer, k) => {
    const trace = lifLayer(layer, weights[k], input, nIn, B, T);
    hidden.push(trace);
    input = trace.S;
    nIn = layer.nOut;
  });

  const readout = layers.readout;
  const C = readout.nOut;
  const readoutV = readoutLayer(readout, weights[weights.length - 1], input, nIn, B, T);

  const logits = new Float64Array(B * C);
  const argmax = new Int32Array(B * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      if (readout.logits === "max") {
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

  const spikeCounts = hidden.map((trace, k) => counts(trace.S, B, T, layers.hidden[k].nOut));

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

  return { hidden, readoutV, logits, argmax, loss: { total: ce + low + up, ce, low, up }, correct, spikeCounts };
}

/** One dense LIF layer. `input` is 0/1, B·T·nIn. */
function lifLayer(layer: DenseLayer, W: Float64Array, input: Uint8Array, nIn: number, B: number, T: number): RefLayerTrace {
  const N = layer.nOut;
  const { alpha, vRest, vTh, resetAmount } = layer.lif;
  const V = new Float64Array(B * T * N);
  const S = new Uint8Array(B * T * N);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < N; j++) {
      // V[0] = 0 and S[0] = 0 (already zero).
      for (let t = 0; t + 1 < T; t++) {
        let current = 0;
        for (let i = 0; i < nIn; i++) {
          if (input[(b * T + t) * nIn + i]) current += W[i * N + j];
        }
        const v = V[(b * T + t) * N + j];
        const s = S[(b * T + t) * N + j];
        const vNext = alpha * (v - vRest) + vRest + current - resetAmount * s;
        V[(b * T + t + 1) * N + j] = vNext;
        S[(b * T + t + 1) * N + j] = vNext - vTh > 0 ? 1 : 0;
      }
    }
  }
  return { V, S };
}

/** The readout: no spikes, no reset, input current scaled by inputScale. Returns V, B·T·C. */
function readoutLayer(layer: ReadoutLayer, W: Float64Array, input: Uint8Array, nIn: number, B: number, T: number): Float64Array {
  const C = layer.nOut;
  const { alpha, vRest, inputScale } = layer;
  const V = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      for (let t = 0; t + 1 < T; t++) {
        let current = 0;
        for (let i = 0; i < nIn; i++) {
          if (input[(b * T + t) * nIn + i]) current += W[i * C + c];
        }
        const v = V[(b * T + t) * C + c];
        V[(b * T + t + 1) * C + c] = alpha * (v - vRest) + vRest + inputScale * current;
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
