// Float64 LIF layers (docs/design.md §2 and "Layer kinds beyond the paper"), written for clarity:
// one walk that every spiking layer takes (dense, conv, a spiking readout), with each option the
// IR may carry: recurrence (R [N, N]), an input scale (a spiking readout's), no leak (the IR's
// α = 1 already), reset subtract, subtract_same_step or to_reset, and CuBa synapses. A bias is
// already in I.
//
// Forward, per sample, step t = 0 … T−2, all neurons together (recurrence couples them):
//   I_j[t] = scale·(I_ff+bias,j[t] + Σ_k S_k[t]·R[k][j])          (S[0] = 0: no recurrent input at t = 0)
//   J_j[t+1] = α_syn·J_j[t] + I_j[t]  (CuBa; else the drive is I_j[t] itself)
//   V_j[t+1] = α·(V' − V_rest) + V_rest + drive − (V_th − V_r)·S_j[t]   (subtract; V' = V_j[t])
//            = α·(V' − V_rest) + V_rest + drive,  V' = V_j[t] − (V_th − V_r)·S_j[t]   (subtract_same_step)
//            = α·(V' − V_rest) + V_rest + drive,  V' = V_r if S_j[t] else V_j[t]   (to_reset)
// Backward (plain BPTT; no reset differentiated, so subtract_same_step's is subtract's; recurrent
// spikes not detached), t = T−1 … 1:
//   ∂L/∂S_k[t] = (from above) + ∂L/∂ζ_k + scale·Σ_j R[k][j]·G_j[t+1]
//   δV_k[t] = ∂L/∂S_k[t]·g(V_k[t]) + c·δV_k[t+1],  c = α, or 0 under to_reset where S_k[t] = 1
//   G_k[t] = δV_k[t] (+ α_syn·G_k[t+1] with CuBa) = ∂L/∂(scaled I_k[t−1])
//   ∇R[k][j] = scale·Σ_b Σ_t S_k[t]·G_j[t+1]

import type { NeuronIR } from "../../compiler/ir/types.ts";
import type { RefLayerTrace } from "./forward.ts";
import { surrogate as surrogateGrad } from "./network.ts";

/** What these functions need of a layer: its size and neuron (a hidden layer or a spiking readout). */
export interface LifLike {
  nOut: number;
  neuron: NeuronIR;
}

/** The LIF layer: I (B·T·N) is the feed-forward current (bias included), R is [N, N] or null. */
export function lifLayer(
  layer: LifLike,
  I: Float64Array,
  R: Float64Array | null,
  B: number,
  T: number,
  scale = 1,
  decays: Decays = { alpha: null, alphaSyn: null },
): RefLayerTrace {
  const N = layer.nOut;
  const n = layer.neuron;
  const { vRest, vTh, resetAmount, vReset } = n;
  const alphaSyn = n.model === "cuba-lif" ? n.alphaSyn : null;
  // Per-neuron τ (docs/design.md §2.1): each neuron's α and α_syn from the layer's tensors.
  const alphaOf = (j: number) => (decays.alpha ? decays.alpha[j] : n.alpha);
  const alphaSynOf = (j: number) => (decays.alphaSyn ? decays.alphaSyn[j] : alphaSyn!);
  const perNeuron = decays.alpha !== null || decays.alphaSyn !== null;
  const U = perNeuron ? new Float64Array(B * T * N) : undefined;
  const Jt = perNeuron && alphaSyn !== null ? new Float64Array(B * T * N) : undefined;
  const toReset = n.reset === "to_reset";
  const sameStep = n.reset === "subtract_same_step";
  const V = new Float64Array(B * T * N);
  const S = new Uint8Array(B * T * N);
  for (let b = 0; b < B; b++) {
    const J = new Float64Array(N); // J[0] = 0; V[0] = 0 and S[0] = 0 are already zero
    for (let t = 0; t + 1 < T; t++) {
      const row = (b * T + t) * N;
      for (let j = 0; j < N; j++) {
        let current = I[row + j];
        if (R) for (let k = 0; k < N; k++) if (S[row + k]) current += R[k * N + j];
        current *= scale;
        if (Jt) Jt[row + j] = J[j];
        if (alphaSyn !== null) J[j] = alphaSynOf(j) * J[j] + current;
        const drive = alphaSyn !== null ? J[j] : current;
        const v = V[row + j];
        const s = S[row + j];
        const alpha = alphaOf(j);
        if (U) U[row + j] = (toReset ? (s ? vReset : v) : sameStep ? v - resetAmount * s : v) - vRest;
        const vNext = toReset
          ? alpha * ((s ? vReset : v) - vRest) + vRest + drive
          : sameStep
            ? alpha * (v - resetAmount * s - vRest) + vRest + drive
            : alpha * (v - vRest) + vRest + drive - resetAmount * s;
        V[row + N + j] = vNext;
        S[row + N + j] = vNext - vTh > 0 ? 1 : 0;
      }
    }
  }
  return { V, S, ...(perNeuron ? { U, J: Jt, alphas: decays.alpha, alphaSyns: decays.alphaSyn } : {}) };
}

/** A layer's per-neuron α and α_syn (null: the neuron's constant). */
export interface Decays {
  alpha: Float64Array | null;
  alphaSyn: Float64Array | null;
}

/**
 * G (B·T·N), G[t] = ∂L/∂(scaled I[t − 1]) of a LIF layer, given ∂L/∂S from above (dS, B·T·N) and
 * ∂L/∂ζ per (b, j) (dZeta, B·N); accumulates ∇R into gradR when R is given.
 */
export function lifDelta(
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
  decayGrads: Decays = { alpha: null, alphaSyn: null },
): Float64Array {
  const N = layer.nOut;
  const n = layer.neuron;
  const { vTh, beta, bTh } = n;
  const alphaSyn = n.model === "cuba-lif" ? n.alphaSyn : null;
  const alphaOf = (j: number) => (trace.alphas ? trace.alphas[j] : n.alpha);
  const alphaSynOf = (j: number) => (trace.alphaSyns ? trace.alphaSyns[j] : alphaSyn!);
  const toReset = n.reset === "to_reset";
  const G = new Float64Array(B * T * N);
  for (let b = 0; b < B; b++) {
    const nextV = new Float64Array(N); // δV[t + 1], δV[T] = 0
    // t = 0 is skipped: V[0], J[0] and S[0] are constants, so G[0] is never used.
    for (let t = T - 1; t >= 1; t--) {
      const row = (b * T + t) * N;
      const next = t + 1 < T ? row + N : -1; // G[T] = 0
      for (let k = 0; k < N; k++) {
        let dSk = dS[row + k] + dZeta[b * N + k];
        if (R && next >= 0) for (let j = 0; j < N; j++) dSk += scale * R[k * N + j] * G[next + j];
        const carry = toReset && trace.S[row + k] ? 0 : alphaOf(k);
        const d = dSk * surrogateGrad(trace.V[row + k], vTh, beta, bTh, surrogate) + carry * nextV[k];
        G[row + k] = alphaSyn !== null ? d + alphaSynOf(k) * (next >= 0 ? G[next + k] : 0) : d;
        nextV[k] = d;
        // V[t] = α·u'[t−1] + …: ∂L/∂α += ∂L/∂V[t]·u'[t−1]; J[t] = α_syn·J[t−1] + …: ∂L/∂α_syn += ∂L/∂J[t]·J[t−1].
        if (decayGrads.alpha) decayGrads.alpha[k] += d * trace.U![row - N + k];
        if (decayGrads.alphaSyn) decayGrads.alphaSyn[k] += G[row + k] * trace.J![row - N + k];
      }
      if (gradR && next >= 0)
        for (let k = 0; k < N; k++) if (trace.S[row + k]) for (let j = 0; j < N; j++) gradR[k * N + j] += scale * G[next + j];
    }
  }
  return G;
}
