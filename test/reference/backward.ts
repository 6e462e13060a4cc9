// Plain BPTT of the model in docs/design.md §2, float64, written for clarity.
// - The reset term −(V_th − V_r)·S[t] is a constant (not differentiated); S[0] and V[0] are constants.
// - dS[t]/dV[t] is the surrogate g (full, or truncated to |V − V_th| < B_th).
// - Walk t = T−1 … 0 carrying δ[t] = ∂L/∂V[t]:  δ[t] = ∂L/∂S[t]·g(V[t]) + α·δ[t+1]  (δ[T] = 0),
//   with ∂L/∂S[t] = (from the next layer) + ∂L_reg/∂ζ for t ≥ 1; under reset to_reset the carry
//   is α·(1 − S[t]); with CuBa synapses ∂L/∂I[t] = δJ[t+1], δJ[t] = δ[t] + α_syn·δJ[t+1].
// - Bias: ∂L/∂b_j = Σ_b Σ_t ∂L/∂I_j[t] (per filter for conv, ×inputScale for the readout).
// - Dense: ∂L/∂W_ij = Σ_b Σ_t S_in,i[t]·δ_j[t+1];  ∂L/∂S_in,i[t] = Σ_j W_ij·δ_j[t+1]  (×inputScale for the readout).
// - Conv: the same sums over the connections (i, j, w) of the layer (network.ts convTaps), each
//   weight W[f][c][ky][kx] shared by every output position: ∂L/∂W_w = Σ_b Σ_t Σ_{(i,j) through w} S_in,i[t]·δ_j[t+1].
// - Every spiking layer's δ walk (options, recurrence, a spiking readout) is lif-layer.ts: with R,
//   ∂L/∂S[t] also gains Σ_j R_kj·δ_j[t+1]; ∇R = Σ S_k[t]·δ_j[t+1].
// - Max-pool: ∂L/∂S_out of a window goes to its first spiking input at that step, else its first
//   input (PyTorch's max-pool backward; network.ts poolWinner); flatten passes ∂L/∂S through.
// - Sum-pool: the next layer's input is the window's count m, so ∂L/∂W gains m·δ per window and
//   every input of the window gets ∂L/∂S_in = ∂L/∂pooled (inputs outside every window get 0).

import type { ConvLayer, Network } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import type { RefForward } from "./forward.ts";
import { activityLowGrad, activityUpGrad, sampleCrossEntropyGrad } from "./loss.ts";
import { checkShapes, chw, convTaps, poolWinner } from "./network.ts";
import { lifDelta, type AdaptGrads } from "./lif-layer.ts";

export interface RefBackward {
  /** One per weighted layer, in layer order, same layout as the weights. */
  gradW: Float64Array[];
  /** ∂L/∂a, B·C (already includes the 1/B of the mean). */
  dLdLogits: Float64Array;
  /** Per spiking layer (as RefForward.hidden): an ALIF layer's ∂L/∂β_a and ∂L/∂ρ, else null. */
  adaptGrads: (AdaptGrads | null)[];
}

export function referenceBackward(
  net: Network,
  weights: Float64Array[],
  batch: SpikeBatch,
  fwd: RefForward,
  surrogate: "full" | "truncated",
): RefBackward {
  const layers = checkShapes(net, weights, batch);
  const B = batch.batch;
  const T = net.steps;
  const readout = layers.readout;
  const C = readout.nOut;
  const gradW = weights.map((w) => new Float64Array(w.length));
  const adaptGrads: (AdaptGrads | null)[] = fwd.hidden.map((h) => (h.A ? { dBeta: 0, dRho: 0, dRhoTrace: 0 } : null));

  // ---- Loss → logits.
  const dLdLogits = new Float64Array(B * C);
  for (let b = 0; b < B; b++) {
    const g = sampleCrossEntropyGrad(fwd.logits.subarray(b * C, (b + 1) * C), batch.labels[b]);
    for (let c = 0; c < C; c++) dLdLogits[b * C + c] = g[c] / B;
  }

  // The tensors of each weighted layer in weights[] (the IR's order): W, then R if recurrent, then the bias.
  const tensorOf = new Map<string, { w: number; r: number | null; b: number | null; a: number | null; as: number | null; rho: number | null; ba: number | null }>();
  let k0 = 0;
  for (const l of [...layers.hidden, readout]) {
    // A fixed per-neuron decay (trainable false) gets no gradient: the kernels leave it at 0.
    const slot = (role: string) => {
      const k = l.weights.findIndex((t) => t.role === role && t.trainable !== false);
      return k < 0 ? null : k0 + k;
    };
    tensorOf.set(l.id, { w: slot("feedforward")!, r: slot("recurrent"), b: slot("bias"), a: slot("alpha"), as: slot("alpha_syn"), rho: slot("rho"), ba: slot("beta_adapt") });
    k0 += l.weights.length;
  }

  // ---- Readout: δ_c[t] = ∂L/∂V_c[t]; with CuBa synapses also δJ_c[t] = ∂L/∂J_c[t] = δ_c[t] + α_syn·δJ_c[t+1].
  // G[t] is the gradient of the (scaled) current that enters at t − 1: δJ[t] with synapses, else δ[t].
  // A spiking readout: ∂L/∂S_c[t] = ∂L/∂a_c at every step (no penalty), through the surrogate as in
  // a hidden layer (lif-layer.ts, with its input scale).
  const kR = tensorOf.get(readout.id)!;
  let deltaR: Float64Array = new Float64Array(B * T * C);
  const alphaSynR = readout.synapse?.alphaSyn ?? null;
  if (readout.neuron) {
    const trace = fwd.hidden[fwd.hidden.length - 1];
    deltaR = lifDelta({ nOut: C, neuron: readout.neuron }, trace, kR.r === null ? null : weights[kR.r], kR.r === null ? null : gradW[kR.r],
      new Float64Array(B * T * C), dLdLogits, B, T, surrogate, readout.inputScale, { alpha: null, alphaSyn: null }, adaptGrads[fwd.hidden.length - 1] ?? undefined);
  } else for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const dA = dLdLogits[b * C + c];
      let next = 0; // δ[t + 1], δ[T] = 0
      let nextJ = 0; // δJ[t + 1]
      for (let t = T - 1; t >= 0; t--) {
        let direct: number;
        if (readout.logits === "max") direct = t === fwd.argmax[b * C + c] ? dA : 0;
        else direct = dA;
        const delta = direct + readout.alpha * next;
        const deltaJ = alphaSynR !== null ? delta + alphaSynR * nextJ : delta;
        deltaR[(b * T + t) * C + c] = deltaJ;
        next = delta;
        nextJ = deltaJ;
      }
    }
  }
  const all = net.layers;
  if (kR.b !== null) biasGrads(gradW[kR.b], deltaR, C, 1, B, T, readout.inputScale);
  // dS: ∂L/∂S of the output of the layer below the one being processed, B·T·n.
  let dS = weightAndInputGrads(
    weights[kR.w], gradW[kR.w], deltaR, fwd.layerInputs[all.length - 1], readout.nIn, C, B, T, readout.inputScale,
  );

  // ---- Every layer below the readout, last to first.
  let h = layers.hidden.length;
  for (let k = all.length - 2; k >= 0; k--) {
    const layer = all[k];
    const input = fwd.layerInputs[k];
    if (layer.kind === "flatten") continue;
    if (layer.kind === "maxpool") {
      const dIn = new Float64Array(B * T * layer.nIn);
      for (let bt = 0; bt < B * T; bt++) {
        const row = input.subarray(bt * layer.nIn, (bt + 1) * layer.nIn);
        for (let p = 0; p < layer.nOut; p++) dIn[bt * layer.nIn + poolWinner(layer, row, p)] = dS[bt * layer.nOut + p];
      }
      dS = dIn;
      continue;
    }
    if (layer.kind === "sumpool") {
      const [C, H, W] = chw(layer.inShape);
      const [, Ho, Wo] = chw(layer.outShape);
      const s = layer.size;
      const dIn = new Float64Array(B * T * layer.nIn);
      for (let bt = 0; bt < B * T; bt++)
        for (let c = 0; c < C; c++)
          for (let y = 0; y < Ho * s; y++)
            for (let x = 0; x < Wo * s; x++)
              dIn[bt * layer.nIn + (c * H + y) * W + x] = dS[bt * layer.nOut + (c * Ho + Math.floor(y / s)) * Wo + Math.floor(x / s)];
      dS = dIn;
      continue;
    }
    if (layer.kind !== "dense" && layer.kind !== "conv") throw new Error(`reference: unexpected ${layer.kind} below the readout`);
    const { w, r, b: kb, a: ka, as: kas, rho: kr, ba: kba } = tensorOf.get(layer.id)!;
    h--;
    const N = layer.nOut;
    const zetaAll = fwd.spikeCounts[h];
    const dZeta = new Float64Array(B * N);
    for (let b = 0; b < B; b++) {
      const zeta = zetaAll.subarray(b * N, (b + 1) * N);
      // ∂L/∂ζ_j of this sample; the regulariser is (1/B)·Σ_b (L_low + L_up).
      for (let j = 0; j < N; j++) dZeta[b * N + j] = (activityLowGrad(zeta, j, net.loss.activityLow) + activityUpGrad(zeta, net.loss.activityUp)) / B;
    }
    // delta[t] = ∂L/∂I[t − 1] (lif-layer.ts): δV[t], or with CuBa δJ[t] = δV[t] + α_syn·δJ[t+1].
    const delta = lifDelta(
      layer,
      fwd.hidden[h],
      r === null ? null : weights[r],
      r === null ? null : gradW[r],
      dS,
      dZeta,
      B,
      T,
      surrogate,
      1,
      { alpha: ka === null ? null : gradW[ka], alphaSyn: kas === null ? null : gradW[kas], rho: kr === null ? null : gradW[kr], betaAdapt: kba === null ? null : gradW[kba] },
      adaptGrads[h] ?? undefined,
    );
    if (kb !== null) biasGrads(gradW[kb], delta, N, layer.kind === "conv" ? N / layer.filters : 1, B, T, 1);
    dS = layer.kind === "dense"
      ? weightAndInputGrads(weights[w], gradW[w], delta, input, layer.nIn, N, B, T, 1)
      : convWeightAndInputGrads(layer, weights[w], gradW[w], delta, input, B, T);
  }

  return { gradW, dLdLogits, adaptGrads };
}

/** ∂L/∂b_f = scale·Σ_b Σ_{t ≤ T−2} Σ_{j of f} δ[t+1]_j: a bias is one more current at every update. */
function biasGrads(gradB: Float64Array, delta: Float64Array, N: number, span: number, B: number, T: number, scale: number): void {
  for (let b = 0; b < B; b++)
    for (let t = 0; t + 1 < T; t++)
      for (let j = 0; j < N; j++) gradB[Math.floor(j / span)] += scale * delta[(b * T + t + 1) * N + j];
}

/**
 * Given δ = ∂L/∂V (B·T·nOut) of a layer whose V[t+1] receives scale·Σ_i S_in,i[t]·W_ij (S_in a
 * count after a sum-pool):
 * accumulate ∂L/∂W into gradW and return ∂L/∂S_in (B·T·nIn; zero at t = T−1, whose input is unused).
 */
function weightAndInputGrads(
  W: Float64Array,
  gradW: Float64Array,
  delta: Float64Array,
  input: Uint8Array,
  nIn: number,
  nOut: number,
  B: number,
  T: number,
  scale: number,
): Float64Array {
  const dSin = new Float64Array(B * T * nIn);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t + 1 < T; t++) {
      for (let i = 0; i < nIn; i++) {
        const s = input[(b * T + t) * nIn + i];
        let back = 0;
        for (let j = 0; j < nOut; j++) {
          const d = scale * delta[(b * T + t + 1) * nOut + j];
          if (s) gradW[i * nOut + j] += s * d;
          back += W[i * nOut + j] * d;
        }
        dSin[(b * T + t) * nIn + i] = back;
      }
    }
  }
  return dSin;
}

/**
 * The conv version: ∇W[f][c][ky][kx] = Σ_t Σ_{yo,xo} S_in[c][yo·s−p+ky][xo·s−p+kx][t]·δ[f][yo][xo][t+1] and
 * ∂L/∂S_in[c][y][x][t] = Σ W[f][c][ky][kx]·δ[f][yo][xo][t+1] over the outputs that see (y, x).
 */
function convWeightAndInputGrads(
  layer: ConvLayer,
  W: Float64Array,
  gradW: Float64Array,
  delta: Float64Array,
  input: Uint8Array,
  B: number,
  T: number,
): Float64Array {
  const { nIn, nOut } = layer;
  const taps = convTaps(layer);
  const dSin = new Float64Array(B * T * nIn);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t + 1 < T; t++) {
      const inRow = (b * T + t) * nIn;
      const dRow = (b * T + t + 1) * nOut;
      for (const { i, j, w } of taps) {
        const d = delta[dRow + j];
        const s = input[inRow + i];
        if (s) gradW[w] += s * d;
        dSin[inRow + i] += W[w] * d;
      }
    }
  }
  return dSin;
}
