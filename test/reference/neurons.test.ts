// The oracle's neuron options beyond the paper's LIF (docs/design.md §2): hand-computed forward
// cases for reset to_reset and subtract_same_step, no leak (IF), bias and CuBa synapses, and two checks against the same
// network written another way:
// - a bias is an extra input that spikes at every step with the bias as its weight row;
// - the reverse-mode BPTT of referenceBackward equals forward-mode (tangent) differentiation of
//   the same surrogate model, parameter by parameter, written here from the forward equations.

import { describe, expect, it } from "vitest";
import type { Network } from "../../compiler/ir/types.ts";
import { packBatch, type SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { buildNetwork, type LifOptions, type ReadoutOptions } from "./helpers.ts";
import { denseInput, referenceBackward, referenceForward, softmax, surrogate } from "./index.ts";

// 1 input → 1 hidden neuron → 2 classes, T = 5, α = 0.5, V_rest = 0.25, V_th = 1, V_r = 0,
// W1 = 0.75, input spikes at t = 0…3 (numbers exact in binary).
const one = (h: LifOptions, steps = 5, readout: Partial<ReadoutOptions> = {}): Network =>
  buildNetwork({ inputs: 1, steps, hidden: [{ size: 1, alpha: 0.5, vTh: 1, vReset: 0, vRest: 0.25, beta: 2, bTh: 0.2, ...h }], readout: { classes: 2, alpha: 0.5, ...readout } });
const spikesAt = (times: number[], steps = 5) => packBatch([{ times: Int32Array.from(times), units: new Int32Array(times.length), label: 0 }], steps, 1);
const W = () => [Float64Array.of(0.75), Float64Array.of(0.5, -0.25)];

describe("referenceForward: hand-computed neuron options", () => {
  it("reset to_reset restarts from V_r (subtract would give V3 = 0.53125)", () => {
    // V1 = 0.875, V2 = 1.3125 (spike), V3 = 0.5·(0 − 0.25) + 0.25 + 0.75 = 0.875, V4 = 1.3125 (spike).
    const f = referenceForward(one({ reset: "to_reset" }), W(), spikesAt([0, 1, 2, 3]));
    expect(Array.from(f.hidden[0].V)).toEqual([0, 0.875, 1.3125, 0.875, 1.3125]);
    expect(Array.from(f.hidden[0].S)).toEqual([0, 0, 1, 0, 1]);
  });

  it("subtract_same_step takes V_th − V_r off before the leak (subtract would give V3 = 0.53125)", () => {
    // V3 = 0.5·(1.3125 − 1 − 0.25) + 0.25 + 0.75 = 1.03125 (spike): subtract's 0.53125 plus (1 − α)·(V_th − V_r) = 0.5,
    // the gap d[t+1] = α·d[t] + (1 − α)·(V_th − V_r)·S[t]; V4 = 0.5·(1.03125 − 1 − 0.25) + 1 = 0.890625.
    const f = referenceForward(one({ reset: "subtract_same_step" }), W(), spikesAt([0, 1, 2, 3]));
    expect(Array.from(f.hidden[0].V)).toEqual([0, 0.875, 1.3125, 1.03125, 0.890625]);
    expect(Array.from(f.hidden[0].S)).toEqual([0, 0, 1, 1, 0]);
  });

  it("no leak (IF): V[t+1] = V[t] + I[t] − reset", () => {
    // V1 = 0.75, V2 = 1.5 (spike), V3 = 1.5 + 0.75 − 1 = 1.25 (spike), V4 = 1.25 + 0.75 − 1 = 1 (no spike: not > V_th).
    const f = referenceForward(one({ leak: false }), W(), spikesAt([0, 1, 2, 3]));
    expect(Array.from(f.hidden[0].V)).toEqual([0, 0.75, 1.5, 1.25, 1]);
    expect(Array.from(f.hidden[0].S)).toEqual([0, 0, 1, 1, 0]);
  });

  it("a bias acts on every update from t = 0, never on V[0]", () => {
    // No input; b = 0.25: V[t+1] = 0.5·(V[t] − 0.25) + 0.25 + 0.25: V1 = 0.375, V2 = 0.5625, V3 = 0.65625, V4 = 0.703125.
    const net = one({ bias: true });
    const f = referenceForward(net, [Float64Array.of(0.75), Float64Array.of(0.25), Float64Array.of(0.5, -0.25)], spikesAt([]));
    expect(Array.from(f.hidden[0].V)).toEqual([0, 0.375, 0.5625, 0.65625, 0.703125]);
  });

  it("CuBa: J[t+1] = α_syn·J[t] + I[t] drives V[t+1]", () => {
    // α = α_syn = 0.5, V_rest = 0, one input spike at t = 0, W = 0.75:
    // J = 0.75, 0.375, 0.1875, 0.09375; V1 = 0.75, V2 = 0.375 + 0.375 = 0.75, V3 = 0.5625, V4 = 0.375.
    const f = referenceForward(one({ alphaSyn: 0.5, vRest: 0 }), W(), spikesAt([0]));
    expect(Array.from(f.hidden[0].V)).toEqual([0, 0.75, 0.75, 0.5625, 0.375]);
  });

  it("CuBa readout with a bias: the input scale multiplies the whole current", () => {
    // Readout on the input directly: W = [1, −1], b = [0.5, 0.25], scale 1 − α = 0.5, α = α_syn = 0.5.
    // class 0: J = 0.75 (t=0: 0.5·(1 + 0.5)), then 0.625 (0.375 + 0.25), V1 = 0.75, V2 = 0.375 + 0.625 = 1.
    const net = buildNetwork({ inputs: 1, steps: 3, hidden: [], readout: { classes: 2, alpha: 0.5, alphaSyn: 0.5, bias: true, inputScaleMode: "one_minus_alpha", logits: "sum" } });
    const f = referenceForward(net, [Float64Array.of(1, -1), Float64Array.of(0.5, 0.25)], packBatch([{ times: Int32Array.of(0), units: Int32Array.of(0), label: 0 }], 3, 1));
    // layout (b·T + t)·C + c; class 1: J = 0.5·(−1 + 0.25) = −0.375, then −0.1875 + 0.125 = −0.0625; V1 = −0.375, V2 = −0.1875 − 0.0625 = −0.25.
    expect(Array.from(f.readoutV)).toEqual([0, 0, 0.75, -0.375, 1, -0.25]);
  });
});

// ---- Random small dense networks with every option, for the two checks below ----

const OPTIONS: { name: string; hidden: LifOptions[]; readout: Partial<ReadoutOptions> }[] = [
  { name: "bias + to_reset + CuBa, readout bias", hidden: [{ bias: true, reset: "to_reset", tauSynMs: 3 }, { bias: true }], readout: { bias: true } },
  { name: "IF + bias, CuBa readout with bias", hidden: [{ leak: false, bias: true, vTh: 1.5 }, { reset: "to_reset", tauSynMs: 6, bias: true }], readout: { alphaSyn: 0.7, bias: true, logits: "sum" } },
  { name: "IF + to_reset + CuBa", hidden: [{ leak: false, reset: "to_reset", tauSynMs: 2, bias: true }], readout: { inputScaleMode: "one_minus_alpha" } },
  { name: "subtract_same_step + bias, CuBa + subtract_same_step", hidden: [{ reset: "subtract_same_step", bias: true }, { reset: "subtract_same_step", tauSynMs: 4 }], readout: { bias: true } },
];

function randomNet(o: (typeof OPTIONS)[number], inputs: number, steps: number): Network {
  return buildNetwork({
    inputs,
    steps,
    hidden: o.hidden.map((h, k) => ({ size: 3 + k, tauMs: 8, vTh: 1, vReset: 0.1, vRest: 0.05, bTh: 0.6, beta: 3, ...h })),
    readout: { classes: 3, tauMs: 12, logits: "max", ...o.readout },
    batch: 2,
  });
}

function randomCase(net: Network, seed: number): { weights: Float64Array[]; batch: SpikeBatch } {
  const rng = new Rng(seed);
  const weights = net.layers.flatMap((l) =>
    "weights" in l ? l.weights.map((w) => Float64Array.from({ length: w.size }, () => (w.role === "bias" ? rng.uniform(-0.1, 0.2) : rng.uniform(-0.3, 0.9) / Math.sqrt(l.nIn)))) : [],
  );
  const samples = [0, 1].map((b) => {
    const times: number[] = [];
    const units: number[] = [];
    for (let t = 0; t < net.steps; t++) for (let i = 0; i < net.input.size; i++) if (rng.next() < 0.3) (times.push(t), units.push(i));
    return { times: Int32Array.from(times), units: Int32Array.from(units), label: b % net.classes };
  });
  return { weights, batch: packBatch(samples, net.steps, net.input.size) };
}

describe("a bias is an input that spikes at every step", () => {
  for (const o of OPTIONS) {
    it(o.name, () => {
      const withBias = randomNet(o, 3, 14);
      const { weights, batch } = randomCase(withBias, 5);
      // The same first layer without its bias, one more input always on, whose row of W is b.
      const plain = randomNet({ ...o, hidden: o.hidden.map((h, k) => (k === 0 ? { ...h, bias: false } : h)) }, 4, 14);
      const T = batch.steps;
      const extra = [0, 1].map((b) => {
        const times: number[] = [];
        const units: number[] = [];
        for (let t = 0; t < T; t++) {
          for (let i = 0; i < 3; i++) if (denseInput(batch)[(b * T + t) * 3 + i]) (times.push(t), units.push(i));
          times.push(t);
          units.push(3);
        }
        return { times: Int32Array.from(times), units: Int32Array.from(units), label: batch.labels[b] };
      });
      const batch4 = packBatch(extra, T, 4);
      const [w1, b1, ...rest] = weights;
      const w1plus = Float64Array.from([...w1, ...b1]); // [4, N] row-major: the bias is row 3
      const a = referenceForward(withBias, weights, batch);
      const p = referenceForward(plain, [w1plus, ...rest], batch4);
      a.hidden.forEach((h, k) => {
        expect(Array.from(p.hidden[k].S)).toEqual(Array.from(h.S));
        h.V.forEach((v, n) => expect(p.hidden[k].V[n]).toBeCloseTo(v, 12));
      });
      expect(a.hidden[0].S.some((s) => s === 1)).toBe(true);
      for (const mode of ["truncated", "full"] as const) {
        const ga = referenceBackward(withBias, weights, batch, a, mode).gradW;
        const gp = referenceBackward(plain, [w1plus, ...rest], batch4, p, mode).gradW;
        Array.from(gp[0]).forEach((g, n) => expect(g).toBeCloseTo(n < w1.length ? ga[0][n] : ga[1][n - w1.length], 12));
        gp.slice(1).forEach((g, k) => Array.from(g).forEach((x, n) => expect(x).toBeCloseTo(ga[k + 2][n], 12)));
        expect(ga[1].some((g) => Math.abs(g) > 1e-6)).toBe(true);
      }
    });
  }
});

/**
 * Forward-mode differentiation of the surrogate model in the direction of one parameter: every
 * state carries its tangent (V̇, J̇), a spike's tangent is g(V)·V̇ (t ≥ 1), the resets are constants
 * (subtract: no tangent; to_reset: V̇' = (1 − S)·V̇), the bias enters every update's current.
 * Returns dL/dθ of the cross-entropy (no activity penalties in these networks).
 */
function tangentLoss(net: Network, weights: Float64Array[], batch: SpikeBatch, tensor: number, entry: number, mode: "truncated" | "full"): number {
  const B = batch.batch;
  const T = net.steps;
  const fwd = referenceForward(net, weights, batch);
  let input = denseInput(batch);
  let dInput = new Float64Array(input.length);
  let k = 0;
  let h = 0;
  let dLogits = new Float64Array(0);
  for (const layer of net.layers) {
    if (layer.kind !== "dense" && layer.kind !== "readout") throw new Error("dense networks only");
    const wk = k++;
    const bk = layer.weights.some((w) => w.role === "bias") ? k++ : -1;
    const W = weights[wk];
    const { nIn, nOut: N } = layer;
    // Current and its tangent at each (b, t, j).
    const I = new Float64Array(B * T * N);
    const dI = new Float64Array(B * T * N);
    for (let bt = 0; bt < B * T; bt++)
      for (let j = 0; j < N; j++) {
        let c = bk >= 0 ? weights[bk][j] : 0;
        let dc = bk === tensor && j === entry ? 1 : 0;
        for (let i = 0; i < nIn; i++) {
          c += input[bt * nIn + i] * W[i * N + j];
          dc += dInput[bt * nIn + i] * W[i * N + j] + (wk === tensor && i * N + j === entry ? input[bt * nIn + i] : 0);
        }
        I[bt * N + j] = c;
        dI[bt * N + j] = dc;
      }
    if (layer.kind === "readout") {
      const C = N;
      const scale = layer.inputScale;
      const aSyn = layer.synapse?.alphaSyn ?? null;
      dLogits = new Float64Array(B * C);
      for (let b = 0; b < B; b++)
        for (let c = 0; c < C; c++) {
          let dv = 0;
          let dj = 0;
          for (let t = 0; t + 1 < T; t++) {
            const di = scale * dI[(b * T + t) * C + c];
            if (aSyn !== null) dj = aSyn * dj + di;
            dv = layer.alpha * dv + (aSyn !== null ? dj : di);
            if (layer.logits === "sum" || fwd.argmax[b * C + c] === t + 1) dLogits[b * C + c] += dv;
          }
        }
      break;
    }
    const n = layer.neuron;
    const aSyn = n.model === "cuba-lif" ? n.alphaSyn : null;
    const { V, S } = fwd.hidden[h++];
    const dS = new Float64Array(B * T * N);
    for (let b = 0; b < B; b++)
      for (let j = 0; j < N; j++) {
        let dv = 0;
        let dj = 0;
        for (let t = 0; t + 1 < T; t++) {
          const idx = (b * T + t) * N + j;
          const carried = n.reset === "to_reset" && S[idx] ? 0 : dv;
          if (aSyn !== null) dj = aSyn * dj + dI[idx];
          dv = n.alpha * carried + (aSyn !== null ? dj : dI[idx]);
          const next = (b * T + t + 1) * N + j;
          dS[next] = surrogate(V[next], n.vTh, n.beta, n.bTh, mode) * dv;
        }
      }
    input = S;
    dInput = dS;
  }
  let dL = 0;
  const C = net.classes;
  for (let b = 0; b < B; b++) {
    const p = softmax(fwd.logits.subarray(b * C, (b + 1) * C));
    for (let c = 0; c < C; c++) dL += ((p[c] - (c === batch.labels[b] ? 1 : 0)) * dLogits[b * C + c]) / B;
  }
  return dL;
}

describe("BPTT (referenceBackward) equals forward-mode differentiation of the same model", () => {
  for (const o of OPTIONS) {
    it(o.name, () => {
      const net = randomNet(o, 3, 12);
      const { weights, batch } = randomCase(net, 11);
      const fwd = referenceForward(net, weights, batch);
      expect(fwd.hidden.every((hh) => hh.S.some((s) => s === 1))).toBe(true);
      for (const mode of ["truncated", "full"] as const) {
        const { gradW } = referenceBackward(net, weights, batch, fwd, mode);
        let nonZero = 0;
        gradW.forEach((g, t) =>
          g.forEach((x, e) => {
            expect(x).toBeCloseTo(tangentLoss(net, weights, batch, t, e, mode), 12);
            if (Math.abs(x) > 1e-8) nonZero++;
          }),
        );
        expect(nonZero).toBeGreaterThan(gradW.length);
      }
    });
  }
});
