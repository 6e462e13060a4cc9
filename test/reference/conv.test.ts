// The oracle's conv, max-pool and flatten layers: a case small enough to follow by hand, the
// max-pool gradient rule, and an independent check of the conv gradient against the same network
// written with dense layers whose weight matrices are the convs unrolled.

import { describe, expect, it } from "vitest";
import type { ConvLayer } from "../../compiler/ir/types.ts";
import { packBatch } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { randomBatch } from "../support/random-data.ts";
import { buildStackNetwork } from "./helpers.ts";
import { convTaps, poolWinner, referenceBackward, referenceForward } from "./index.ts";

/** Input [1, 3, 3], conv 1 filter k2 s1 p0 (→ [1, 2, 2]), max-pool 2 (→ [1, 1, 1]), flatten, readout of 2. */
function handCase(bTh: number) {
  const net = buildStackNetwork({
    input: [1, 3, 3],
    steps: 4,
    layers: [
      { kind: "conv", filters: 1, kernel: 2, alpha: 0.5, vTh: 1, vReset: 0, vRest: 0, beta: 2, bTh },
      { kind: "maxpool", size: 2 },
      { kind: "flatten" },
    ],
    readout: { classes: 2, alpha: 0.5, logits: "sum" },
  });
  // W[0][0][ky][kx] = [[1.25, 0.5], [0.25, −0.5]]; readout W = [1, −1].
  const weights = [Float64Array.from([1.25, 0.5, 0.25, -0.5]), Float64Array.from([1, -1])];
  // Pixels (flat y·3 + x): t0: 0 and 4; t1: 5; t2: 8 and 0; t3: 1.
  const times = [0, 0, 1, 2, 2, 3];
  const units = [0, 4, 5, 8, 0, 1];
  const batch = packBatch([{ times: Int32Array.from(times), units: Int32Array.from(units), label: 0 }], 4, 9);
  return { net, weights, batch };
}

describe("conv, max-pool and flatten in the reference", () => {
  it("forward of the hand-computed conv case", () => {
    const { net, weights, batch } = handCase(0.4);
    const f = referenceForward(net, weights, batch);
    // I(t0) = [1.25 − 0.5, 0.25, 0.5, 1.25]; I(t1) = [0, −0.5, 0, 0.5]; I(t2) = [1.25, 0, 0, −0.5].
    // V[t+1] = 0.5·V[t] + I(t) − S[t].
    expect(Array.from(f.hidden[0].V)).toEqual([0, 0, 0, 0, 0.75, 0.25, 0.5, 1.25, 0.375, -0.375, 0.25, 0.125, 1.4375, -0.1875, 0.125, -0.4375]);
    expect(Array.from(f.hidden[0].S)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
    // The pool's input and output, and the readout: pooled spikes at t1 and t3 (an OR).
    expect(Array.from(f.layerInputs[3])).toEqual([0, 1, 0, 1]);
    expect(Array.from(f.readoutV)).toEqual([0, 0, 0, 0, 1, -1, 0.5, -0.5]);
    expect(Array.from(f.logits)).toEqual([1.5, -1.5]);
    expect(Array.from(f.spikeCounts[0])).toEqual([1, 0, 0, 1]);
  });

  it("max-pool routes a window's gradient to its first spiking input, else to its first input", () => {
    const { net } = handCase(0.4);
    const pool = net.layers[1];
    if (pool.kind !== "maxpool") throw new Error("expected the pool");
    expect(poolWinner(pool, [0, 0, 0, 0], 0)).toBe(0);
    expect(poolWinner(pool, [0, 0, 0, 1], 0)).toBe(3);
    expect(poolWinner(pool, [0, 1, 1, 1], 0)).toBe(1);
    expect(poolWinner(pool, [0, 0, 1, 1], 0)).toBe(2);
  });

  for (const [mode, bTh] of [["full", 0.4], ["truncated", 0.4]] as const) {
    it(`backward of the hand-computed conv case (${mode} surrogate)`, () => {
      const { net, weights, batch } = handCase(bTh);
      const f = referenceForward(net, weights, batch);
      const g = referenceBackward(net, weights, batch, f, mode);
      // Sum logits [1.5, −1.5], label 0: dA = softmax − onehot = [−1, 1]/(1 + e³).
      const dA0 = -1 / (1 + Math.exp(3));
      const D = 2 * dA0; // W_r·δ_r = δ_0 − δ_1 = (dA0 − dA1)·k
      // Readout δ_c[t] = dA_c·(1, 1.5, 1.75, 1.875)[T−1−t]; ∂L/∂S_pool[t] = D·(1.75, 1.5, 1, 0)[t].
      // ∇W_readout = Σ_t S_pool[t]·δ_c[t+1] = 1.5·dA_c (the pooled spike at t1; t3 is never used).
      expect(g.gradW[1][0]).toBeCloseTo(1.5 * dA0, 14);
      expect(g.gradW[1][1]).toBeCloseTo(-1.5 * dA0, 14);
      // Routing: t1 → neuron 3 (the only spike in the window): 1.5·D; t2 → no spike → neuron 0: D.
      // δ_3[1] = 1.5·D·g(1.25) = 1.5·D·(1/(2·0.25 + 1))² = (2/3)·D, fed by input pixel 4 at t0 through w0.
      // δ_0[2] = D·g(0.375) (g = 1/(2·0.625 + 1)², zero when truncated: 0.625 ≥ B_th), δ_0[1] = 0.5·δ_0[2],
      // fed by pixels 0 (w0) and 4 (w3) at t0; nothing feeds δ_0[2] (pixel 5 at t1 is not under o0).
      const g0 = mode === "full" ? 1 / 2.25 ** 2 : 0;
      const want = [(2 / 3) * D + 0.5 * D * g0, 0, 0, 0.5 * D * g0];
      want.forEach((w, k) => expect(g.gradW[0][k]).toBeCloseTo(w, 14));
      if (mode === "full") expect(g.gradW[0][3]).not.toBe(0);
    });
  }

  it("conv → conv → flatten → readout equals the same network with the convs unrolled into dense layers", () => {
    const lif = { tauMs: 6, vTh: 0.8, vReset: 0.1, vRest: 0.02, bTh: 0.3, beta: 5 };
    const loss = { activityLow: { lambda: 0.3, nu: 1.7 }, activityUp: { lambda: 0.2, nu: 0.4 } };
    const conv = buildStackNetwork({
      input: [2, 6, 7],
      steps: 12,
      layers: [
        { kind: "conv", filters: 3, kernel: 3, stride: 2, padding: 1, ...lif },
        { kind: "conv", filters: 2, kernel: 2, stride: 1, padding: 1, ...lif, tauMs: 9 },
        { kind: "flatten" },
      ],
      readout: { classes: 3, logits: "sum", inputScaleMode: "one_minus_alpha" },
      loss,
      batch: 3,
    });
    const [c1, c2] = conv.layers as ConvLayer[];
    expect(c1.outShape).toEqual([3, 3, 4]);
    expect(c2.outShape).toEqual([2, 4, 5]);
    const dense = buildStackNetwork({
      input: [2, 6, 7],
      steps: 12,
      layers: [{ kind: "flatten" }, { kind: "dense", size: c1.nOut, ...lif }, { kind: "dense", size: c2.nOut, ...lif, tauMs: 9 }],
      readout: { classes: 3, logits: "sum", inputScaleMode: "one_minus_alpha" },
      loss,
      batch: 3,
    });
    const rng = new Rng(7);
    const convW = [c1, c2].map((l) => Float64Array.from({ length: l.weights[0].size }, () => (rng.uniform(-1, 1) + 0.6) / Math.sqrt(l.weights[0].init.fanIn) * 1.6));
    const roW = Float64Array.from({ length: c2.nOut * 3 }, () => rng.uniform(-1, 1));
    const unroll = (l: ConvLayer, w: Float64Array) => {
      const m = new Float64Array(l.nIn * l.nOut);
      for (const { i, j, w: k } of convTaps(l)) m[i * l.nOut + j] = w[k];
      return m;
    };
    const batch = randomBatch(12, conv.input.size, 3, 3, 0.25, 5);
    const fc = referenceForward(conv, [...convW, roW], batch);
    const denseW = [unroll(c1, convW[0]), unroll(c2, convW[1]), roW];
    const fd = referenceForward(dense, denseW, batch);
    expect(fc.hidden.map((h) => Array.from(h.S))).toEqual(fd.hidden.map((h) => Array.from(h.S)));
    const spikes = fc.hidden.map((h) => h.S.reduce((a, s) => a + s, 0));
    expect(spikes[0]).toBeGreaterThan(10);
    expect(spikes[1]).toBeGreaterThan(10);
    fc.hidden.forEach((h, k) => h.V.forEach((v, n) => expect(Math.abs(v - fd.hidden[k].V[n])).toBeLessThan(1e-12)));
    fc.logits.forEach((a, n) => expect(Math.abs(a - fd.logits[n])).toBeLessThan(1e-12));
    expect(Math.abs(fc.loss.total - fd.loss.total)).toBeLessThan(1e-12);
    for (const mode of ["full", "truncated"] as const) {
      const gc = referenceBackward(conv, [...convW, roW], batch, fc, mode);
      const gd = referenceBackward(dense, denseW, batch, fd, mode);
      [c1, c2].forEach((l, k) => {
        const folded = new Float64Array(l.weights[0].size);
        for (const { i, j, w } of convTaps(l)) folded[w] += gd.gradW[k][i * l.nOut + j];
        expect(folded.some((x) => Math.abs(x) > 1e-6)).toBe(true);
        folded.forEach((x, n) => expect(Math.abs(gc.gradW[k][n] - x)).toBeLessThan(1e-12));
      });
      gc.gradW[2].forEach((x, n) => expect(Math.abs(x - gd.gradW[2][n])).toBeLessThan(1e-12));
    }
  });
});


