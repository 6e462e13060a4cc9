// Plain BPTT of the model in DESIGN.md §2, float64, written for clarity.
// - The reset term −(V_th − V_r)·S[t] is a constant (not differentiated); S[0] and V[0] are constants.
// - dS[t]/dV[t] is the surrogate g (full, or truncated to |V − V_th| < B_th).
// - Walk t = T−1 … 0 carrying δ[t] = ∂L/∂V[t]:  δ[t] = ∂L/∂S[t]·g(V[t]) + α·δ[t+1]  (δ[T] = 0),
//   with ∂L/∂S[t] = (from the next layer) + ∂L_reg/∂ζ for t ≥ 1.
// - ∂L/∂W_ij = Σ_b Σ_t S_in,i[t]·δ_j[t+1];  ∂L/∂S_in,i[t] = Σ_j W_ij·δ_j[t+1]  (×inputScale for the readout).

import type { Network } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import type { RefForward } from "./forward.ts";
import { activityLowGrad, activityUpGrad, sampleCrossEntropyGrad } from "./loss.ts";
import { checkShapes, denseInput, surrogate as surrogateGrad } from "./network.ts";

export interface RefBackward {
  /** One per weighted layer, in layer order, same layout as the weights. */
  gradW: Float64Array[];
  /** ∂L/∂a, B·C (already includes the 1/B of the mean). */
  dLdLogits: Float64Array;
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

  // Spike inputs of each weighted layer: the batch for the first, the previous layer's S after.
  const inputs: Uint8Array[] = [denseInput(batch), ...fwd.hidden.map((h) => h.S)];
  const sizes: number[] = [net.input.size, ...layers.hidden.map((l) => l.nOut)];

  // ---- Loss → logits.
  const dLdLogits = new Float64Array(B * C);
  for (let b = 0; b < B; b++) {
    const g = sampleCrossEntropyGrad(fwd.logits.subarray(b * C, (b + 1) * C), batch.labels[b]);
    for (let c = 0; c < C; c++) dLdLogits[b * C + c] = g[c] / B;
  }

  // ---- Readout: δ_c[t] = ∂L/∂V_c[t].
  const deltaR = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const dA = dLdLogits[b * C + c];
      let next = 0; // δ[t + 1], δ[T] = 0
      for (let t = T - 1; t >= 0; t--) {
        let direct: number;
        if (readout.logits === "max") direct = t === fwd.argmax[b * C + c] ? dA : 0;
        else direct = dA;
        const delta = direct + readout.alpha * next;
        deltaR[(b * T + t) * C + c] = delta;
        next = delta;
      }
    }
  }
  const kR = weights.length - 1;
  let dSin = weightAndInputGrads(
    weights[kR], gradW[kR], deltaR, inputs[kR], sizes[kR], C, B, T, readout.inputScale,
  );

  // ---- Hidden layers, last to first.
  for (let k = layers.hidden.length - 1; k >= 0; k--) {
    const layer = layers.hidden[k];
    const N = layer.nOut;
    const { alpha, vTh, beta, bTh } = layer.lif;
    const { V } = fwd.hidden[k];
    const zetaAll = fwd.spikeCounts[k];
    const delta = new Float64Array(B * T * N);
    for (let b = 0; b < B; b++) {
      const zeta = zetaAll.subarray(b * N, (b + 1) * N);
      for (let j = 0; j < N; j++) {
        // ∂L/∂ζ_j of this sample; the regulariser is (1/B)·Σ_b (L_low + L_up).
        const dZeta = (activityLowGrad(zeta, j, net.loss.activityLow) + activityUpGrad(zeta, net.loss.activityUp)) / B;
        let next = 0; // δ[t + 1], δ[T] = 0
        // t = 0 is skipped: V[0] and S[0] are constants, so δ[0] is never used.
        for (let t = T - 1; t >= 1; t--) {
          const idx = (b * T + t) * N + j;
          const dS = dSin[idx] + dZeta;
          const d = dS * surrogateGrad(V[idx], vTh, beta, bTh, surrogate) + alpha * next;
          delta[idx] = d;
          next = d;
        }
      }
    }
    dSin = weightAndInputGrads(weights[k], gradW[k], delta, inputs[k], sizes[k], N, B, T, 1);
  }

  return { gradW, dLdLogits };
}

/**
 * Given δ = ∂L/∂V (B·T·nOut) of a layer whose V[t+1] receives scale·Σ_i S_in,i[t]·W_ij:
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
          if (s) gradW[i * nOut + j] += d;
          back += W[i * nOut + j] * d;
        }
        dSin[(b * T + t) * nIn + i] = back;
      }
    }
  }
  return dSin;
}
