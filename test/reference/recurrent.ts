// Float64 recurrent dense LIF layers (docs/design.md §2, "Recurrent dense"), written for clarity;
// also the spiking readout, with or without R, whose input scale multiplies the whole current.
// Forward: I[t] = scale·(feed-forward + Σ_k S_k[t]·R[k][j]) (S[0] = 0), so the layer is walked step
// by step for all neurons together. Backward (plain BPTT, recurrent spikes not detached): walking
// t = T−1 … 1 with δ[t] = ∂L/∂V[t] and δ_j(t) = ∂L/∂I_j[t] = δ_j[t+1],
//   ∂L/∂S_k[t] = (from above) + ∂L/∂ζ_k + scale·Σ_j R[k][j]·δ_j[t+1],   δ_k[t] = ∂L/∂S_k[t]·g(V_k[t]) + α·δ_k[t+1],
//   ∇R[k][j] = scale·Σ_b Σ_t S_k[t]·δ_j[t+1].

import type { Network, NeuronIR, WeightedLayer } from "../../compiler/ir/types.ts";

/** What these functions need of a layer: its size and neuron (a dense layer or a spiking readout). */
export interface LifLike {
  nOut: number;
  neuron: NeuronIR;
}
import type { RefLayerTrace } from "./forward.ts";
import { surrogate as surrogateGrad } from "./network.ts";

/** Where each weighted layer's tensors sit in the flat weight list (weightTensors order: W, then R). */
export function tensorSlots(net: Network): Map<string, { w: number; r: number | null }> {
  const slots = new Map<string, { w: number; r: number | null }>();
  let k = 0;
  for (const layer of net.layers) {
    if (!("weights" in layer)) continue;
    const l = layer as WeightedLayer;
    const w = k++;
    const r = l.weights.some((t) => t.role === "recurrent") ? k++ : null;
    slots.set(l.id, { w, r });
  }
  return slots;
}

/** The LIF layer with recurrence: I (B·T·N) is the feed-forward current, R is [N, N] (or null). */
export function recurrentLifLayer(layer: LifLike, I: Float64Array, R: Float64Array | null, B: number, T: number, scale = 1): RefLayerTrace {
  const N = layer.nOut;
  const { alpha, vRest, vTh, resetAmount } = layer.neuron;
  const V = new Float64Array(B * T * N);
  const S = new Uint8Array(B * T * N);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t + 1 < T; t++) {
      const row = (b * T + t) * N;
      for (let j = 0; j < N; j++) {
        let current = I[row + j];
        if (R) for (let k = 0; k < N; k++) if (S[row + k]) current += R[k * N + j];
        const vNext = alpha * (V[row + j] - vRest) + vRest + scale * current - resetAmount * S[row + j];
        V[row + N + j] = vNext;
        S[row + N + j] = vNext - vTh > 0 ? 1 : 0;
      }
    }
  }
  return { V, S };
}

/**
 * δ = ∂L/∂V (B·T·N) of a recurrent layer, given ∂L/∂S from above (dS, B·T·N) and ∂L/∂ζ per
 * (b, j) (dZeta, B·N); accumulates ∇R into gradR.
 */
export function recurrentDelta(
  layer: LifLike,
  trace: RefLayerTrace,
  R: Float64Array | null,
  gradR: Float64Array | null,
  dS: Float64Array,
  dZeta: Float64Array,
  B: number,
  T: number,
  surrogate: "full" | "truncated",
  scale = 1,
): Float64Array {
  const N = layer.nOut;
  const { alpha, vTh, beta, bTh } = layer.neuron;
  const delta = new Float64Array(B * T * N);
  for (let b = 0; b < B; b++) {
    // t = 0 is skipped: V[0] and S[0] are constants.
    for (let t = T - 1; t >= 1; t--) {
      const row = (b * T + t) * N;
      const next = t + 1 < T ? row + N : -1; // δ[T] = 0
      for (let k = 0; k < N; k++) {
        let dSk = dS[row + k] + dZeta[b * N + k];
        if (R && next >= 0) for (let j = 0; j < N; j++) dSk += scale * R[k * N + j] * delta[next + j];
        delta[row + k] = dSk * surrogateGrad(trace.V[row + k], vTh, beta, bTh, surrogate) + (next >= 0 ? alpha * delta[next + k] : 0);
      }
      if (gradR && next >= 0)
        for (let k = 0; k < N; k++) if (trace.S[row + k]) for (let j = 0; j < N; j++) gradR[k * N + j] += scale * delta[next + j];
    }
  }
  return delta;
}
