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
// ALIF (adaptive threshold, docs/design.md §2.1): a[0] = 0, a[t+1] = ρ·a[t] + S[t], threshold
// θ[t] = V_th + β_a·a[t], S[t] = H(V[t] − θ[t]); the trace's V is the threshold-facing membrane
// V[t] − β_a·a[t] (what the kernels record: compiler/neurons/model.ts), and A holds a[t]. Backward:
//   ∂L/∂S_k[t] gains δA_k[t+1] = ∂L/∂a_k[t+1] (the spike feeds a with gain 1), then
//   δA_k[t] = ρ·δA_k[t+1] − β_a·g·∂L/∂S_k[t],
//   ∂L/∂β_a = Σ −g·∂L/∂S_k[t]·a_k[t],  ∂L/∂ρ = Σ_{t ≥ 1} δA_k[t]·a_k[t−1]
// (and, the same sum taken the trace way, Σ_k ι[k]·P[k−1] with ι[k] = −β_a·g·∂L/∂S[k] and
// P[m] = ρ·P[m−1] + a[m]: AdaptGrads.dRhoTrace).

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
  const adapt = n.model === "alif" ? { rho: n.rho, betaA: n.betaAdapt } : null;
  // A trained ALIF layer: each neuron's ρ and β_a from the layer's tensors.
  const rhoOf = (j: number) => (decays.rho ? decays.rho[j] : adapt!.rho);
  const betaOf = (j: number) => (decays.betaAdapt ? decays.betaAdapt[j] : adapt!.betaA);
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
  const A = adapt ? new Float64Array(B * T * N) : null; // a[t]; a[0] = 0
  const Vm = adapt ? new Float64Array(B * T * N) : V; // ALIF: the membrane itself (V holds V − β_a·a)
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
        const v = Vm[row + j];
        const s = S[row + j];
        const alpha = alphaOf(j);
        if (U) U[row + j] = (toReset ? (s ? vReset : v) : sameStep ? v - resetAmount * s : v) - vRest;
        const vNext = toReset
          ? alpha * ((s ? vReset : v) - vRest) + vRest + drive
          : sameStep
            ? alpha * (v - resetAmount * s - vRest) + vRest + drive
            : alpha * (v - vRest) + vRest + drive - resetAmount * s;
        Vm[row + N + j] = vNext;
        if (adapt && A) {
          const aNext = rhoOf(j) * A[row + j] + s;
          A[row + N + j] = aNext;
          V[row + N + j] = vNext - betaOf(j) * aNext;
          S[row + N + j] = vNext - (vTh + betaOf(j) * aNext) > 0 ? 1 : 0;
          continue;
        }
        S[row + N + j] = vNext - vTh > 0 ? 1 : 0;
      }
    }
  }
  const trained = decays.rho ? { rhos: decays.rho, betaAdapts: decays.betaAdapt ?? null } : {};
  return { V, S, ...(A ? { A } : {}), ...(perNeuron ? { U, J: Jt, alphas: decays.alpha, alphaSyns: decays.alphaSyn } : {}), ...trained };
}

/** A layer's per-neuron α and α_syn, and a trained ALIF layer's ρ and β_a (null or absent: the
 * neuron's constant). As lifDelta's argument: the arrays their gradients are added to. */
export interface Decays {
  alpha: Float64Array | null;
  alphaSyn: Float64Array | null;
  rho?: Float64Array | null;
  betaAdapt?: Float64Array | null;
}

/** An ALIF layer's gradients of its adaptation parameters, summed over samples and neurons. */
export interface AdaptGrads {
  dBeta: number;
  /** Σ_t ∂L/∂a[t]·a[t−1], the adjoint way. */
  dRho: number;
  /** The same, as Σ_k ι[k]·P[k−1] (the forward trace P of docs/design.md §2.1). */
  dRhoTrace: number;
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
  adaptGrads?: AdaptGrads,
): Float64Array {
  const N = layer.nOut;
  const n = layer.neuron;
  const { vTh, beta, bTh } = n;
  const alphaSyn = n.model === "cuba-lif" ? n.alphaSyn : null;
  const alphaOf = (j: number) => (trace.alphas ? trace.alphas[j] : n.alpha);
  const alphaSynOf = (j: number) => (trace.alphaSyns ? trace.alphaSyns[j] : alphaSyn!);
  const adapt = n.model === "alif" ? { rho: n.rho, betaA: n.betaAdapt } : null;
  const rhoOf = (j: number) => (trace.rhos ? trace.rhos[j] : adapt!.rho);
  const betaOf = (j: number) => (trace.betaAdapts ? trace.betaAdapts[j] : adapt!.betaA);
  const toReset = n.reset === "to_reset";
  const G = new Float64Array(B * T * N);
  for (let b = 0; b < B; b++) {
    const nextV = new Float64Array(N); // δV[t + 1], δV[T] = 0
    const nextA = new Float64Array(N); // ALIF: δA[t + 1] = ∂L/∂a[t + 1], δA[T] = 0
    const iota = adapt ? new Float64Array(T * N) : null; // ι[t] = −β_a·g·∂L/∂S[t]
    // t = 0 is skipped: V[0], J[0] and S[0] are constants, so G[0] is never used.
    for (let t = T - 1; t >= 1; t--) {
      const row = (b * T + t) * N;
      const next = t + 1 < T ? row + N : -1; // G[T] = 0
      for (let k = 0; k < N; k++) {
        let dSk = dS[row + k] + dZeta[b * N + k];
        if (R && next >= 0) for (let j = 0; j < N; j++) dSk += scale * R[k * N + j] * G[next + j];
        const carry = toReset && trace.S[row + k] ? 0 : alphaOf(k);
        const g = surrogateGrad(trace.V[row + k], vTh, beta, bTh, surrogate);
        if (adapt && iota && trace.A) {
          dSk += nextA[k]; // S[t] feeds a[t+1]
          iota[t * N + k] = -betaOf(k) * g * dSk;
          const dA = rhoOf(k) * nextA[k] + iota[t * N + k]; // ∂L/∂a[t]
          if (adaptGrads) {
            adaptGrads.dBeta += -g * dSk * trace.A[row + k];
            adaptGrads.dRho += dA * trace.A[row - N + k]; // a[t] = ρ·a[t−1] + S[t−1], t ≥ 1
          }
          if (decayGrads.betaAdapt) decayGrads.betaAdapt[k] += -g * dSk * trace.A[row + k];
          if (decayGrads.rho) decayGrads.rho[k] += dA * trace.A[row - N + k];
          nextA[k] = dA;
        }
        const d = dSk * g + carry * nextV[k];
        G[row + k] = alphaSyn !== null ? d + alphaSynOf(k) * (next >= 0 ? G[next + k] : 0) : d;
        nextV[k] = d;
        // V[t] = α·u'[t−1] + …: ∂L/∂α += ∂L/∂V[t]·u'[t−1]; J[t] = α_syn·J[t−1] + …: ∂L/∂α_syn += ∂L/∂J[t]·J[t−1].
        if (decayGrads.alpha) decayGrads.alpha[k] += d * trace.U![row - N + k];
        if (decayGrads.alphaSyn) decayGrads.alphaSyn[k] += G[row + k] * trace.J![row - N + k];
      }
      if (gradR && next >= 0)
        for (let k = 0; k < N; k++) if (trace.S[row + k]) for (let j = 0; j < N; j++) gradR[k * N + j] += scale * G[next + j];
    }
    if (adapt && iota && adaptGrads && trace.A) {
      // ∂L/∂ρ the trace way: P[m] = ρ·P[m−1] + a[m], Σ_{k ≥ 1} ι[k]·P[k−1].
      for (let k = 0; k < N; k++) {
        let P = 0;
        for (let t = 1; t < T; t++) {
          P = rhoOf(k) * P + trace.A[(b * T + t - 1) * N + k];
          adaptGrads.dRhoTrace += iota[t * N + k] * P;
        }
      }
    }
  }
  return G;
}
