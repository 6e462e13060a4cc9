// The oracle's sum-pool: a case small enough to follow by hand (counts, multiplicity in the
// readout's current and ∇W), and two independent checks against the same network written without
// a sum-pool: a dense layer whose weight rows repeat over each window, and a conv whose kernel is
// the pooled conv's kernel blown up over the window (kernel 2K, stride 2S).

import { describe, expect, it } from "vitest";
import type { ConvLayer, DenseLayer, SumPoolLayer } from "../../compiler/ir/types.ts";
import { packBatch } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { randomBatch } from "../support/random-data.ts";
import { buildStackNetwork, type StackLayer } from "./helpers.ts";
import { referenceBackward, referenceForward } from "./index.ts";

const lif = { tauMs: 6, vTh: 0.8, vReset: 0.1, vRest: 0.02, bTh: 0.3, beta: 5 };
const loss = { activityLow: { lambda: 0.3, nu: 1.7 }, activityUp: { lambda: 0.2, nu: 0.4 } };

/** The pooled index of input (c, y, x) of a sum-pool, or −1 outside every window. */
function pooledOf(l: SumPoolLayer, i: number): number {
  const [, H, W] = l.inShape;
  const [, Ho, Wo] = l.outShape;
  const c = Math.floor(i / (H * W));
  const yo = Math.floor(Math.floor(i / W) % H / l.size);
  const xo = Math.floor((i % W) / l.size);
  return yo < Ho && xo < Wo ? (c * Ho + yo) * Wo + xo : -1;
}

describe("sum-pool in the reference", () => {
  it("a hand case: the window's count drives the readout, and ∇W takes the count", () => {
    // Input [1, 2, 3] → conv 1×1 (w = 1.5, V_th = 1: each input spike fires its neuron one step
    // later) → sum-pool 2 ([1, 1, 1]; column 2 is in no window) → flatten → readout of 2.
    const net = buildStackNetwork({
      input: [1, 2, 3],
      steps: 4,
      layers: [{ kind: "conv", filters: 1, kernel: 1, alpha: 0.5, vTh: 1, vReset: 0, vRest: 0, beta: 2, bTh: 0.1 }, { kind: "sumpool", size: 2 }, { kind: "flatten" }],
      readout: { classes: 2, alpha: 0.5, logits: "sum" },
    });
    const weights = [Float64Array.from([1.5]), Float64Array.from([0.5, -0.25])];
    // t0: pixels 0, 1, 3 (in the window) and 2 (outside it); t1: pixel 4 (in); t2: pixel 5 (outside).
    const batch = packBatch([{ times: Int32Array.from([0, 0, 0, 0, 1, 2]), units: Int32Array.from([0, 1, 2, 3, 4, 5]), label: 0 }], 4, 6);
    const f = referenceForward(net, weights, batch);
    // Conv spikes one step after their pixel; pooled counts per step: [0, 3, 1, 0].
    expect(Array.from(f.layerInputs[2])).toEqual([0, 3, 1, 0]);
    // Readout V[t+1] = 0.5·V[t] + count[t]·W: V[2] = 3W, V[3] = 1.5W + W = 2.5W.
    expect(Array.from(f.readoutV)).toEqual([0, 0, 0, 0, 1.5, -0.75, 1.25, -0.625]);
    expect(Array.from(f.logits)).toEqual([2.75, -1.375]);
    const g = referenceBackward(net, weights, batch, f, "full");
    // Sum logits, label 0: dA = softmax − onehot; δ_c[3] = dA_c, δ_c[2] = 1.5·dA_c.
    // ∇W_c = Σ_t count[t]·δ_c[t+1] = 3·1.5·dA_c + 1·dA_c = 5.5·dA_c.
    const e = Math.exp(2.75 + 1.375);
    const dA = [1 / (1 + 1 / e) - 1, 1 / (1 + e)];
    expect(g.gradW[1][0]).toBeCloseTo(5.5 * dA[0], 14);
    expect(g.gradW[1][1]).toBeCloseTo(5.5 * dA[1], 14);
  });

  it("conv → sum-pool → dense equals conv → dense with the dense rows repeated over each window", () => {
    const layers = (pooled: boolean): StackLayer[] => [
      { kind: "conv", filters: 3, kernel: 3, stride: 1, padding: 1, ...lif },
      ...(pooled ? [{ kind: "sumpool", size: 2 } as const] : []),
      { kind: "flatten" },
      { kind: "dense", size: 5, ...lif, tauMs: 9 },
    ];
    // 7×6 input: the pool drops row 6, so some conv neurons are in no window.
    const common = { input: [2, 7, 6] as [number, number, number], steps: 12, readout: { classes: 3, logits: "max" as const }, loss, batch: 3 };
    const pooled = buildStackNetwork({ ...common, layers: layers(true) });
    const plain = buildStackNetwork({ ...common, layers: layers(false) });
    const conv = pooled.layers[0] as ConvLayer;
    const pool = pooled.layers[1] as SumPoolLayer;
    const dense = pooled.layers[3] as DenseLayer;
    expect(pool.outShape).toEqual([3, 3, 3]);
    const rng = new Rng(11);
    const convW = Float64Array.from({ length: conv.weights[0].size }, () => ((rng.uniform(-1, 1) + 0.6) / Math.sqrt(18)) * 1.6);
    const denseW = Float64Array.from({ length: dense.nIn * dense.nOut }, () => (rng.uniform(-1, 1) + 0.2) * 0.15);
    const roW = Float64Array.from({ length: dense.nOut * 3 }, () => rng.uniform(-1, 1));
    const repeated = new Float64Array(conv.nOut * dense.nOut);
    for (let i = 0; i < conv.nOut; i++) {
      const p = pooledOf(pool, i);
      if (p >= 0) for (let j = 0; j < dense.nOut; j++) repeated[i * dense.nOut + j] = denseW[p * dense.nOut + j];
    }
    const batch = randomBatch(12, pooled.input.size, 3, 3, 0.25, 5);
    const fp = referenceForward(pooled, [convW, denseW, roW], batch);
    const fq = referenceForward(plain, [convW, repeated, roW], batch);
    expect(fp.hidden.map((h) => Array.from(h.S))).toEqual(fq.hidden.map((h) => Array.from(h.S)));
    // The comparison proves something only if windows hold several spikes at once and the dense layer fires.
    expect(Math.max(...fp.layerInputs[2])).toBeGreaterThan(1);
    expect(fp.hidden[1].S.reduce((a, s) => a + s, 0)).toBeGreaterThan(5);
    fp.hidden.forEach((h, k) => h.V.forEach((v, n) => expect(Math.abs(v - fq.hidden[k].V[n])).toBeLessThan(1e-12)));
    fp.logits.forEach((a, n) => expect(Math.abs(a - fq.logits[n])).toBeLessThan(1e-12));
    for (const mode of ["full", "truncated"] as const) {
      const gp = referenceBackward(pooled, [convW, denseW, roW], batch, fp, mode);
      const gq = referenceBackward(plain, [convW, repeated, roW], batch, fq, mode);
      expect(gp.gradW[0].some((x) => Math.abs(x) > 1e-6)).toBe(true);
      gp.gradW[0].forEach((x, n) => expect(Math.abs(x - gq.gradW[0][n])).toBeLessThan(1e-12));
      // A pooled row's gradient is the sum of the repeated rows' gradients over its window.
      const folded = new Float64Array(denseW.length);
      for (let i = 0; i < conv.nOut; i++) {
        const p = pooledOf(pool, i);
        if (p >= 0) for (let j = 0; j < dense.nOut; j++) folded[p * dense.nOut + j] += gq.gradW[1][i * dense.nOut + j];
      }
      expect(folded.some((x) => Math.abs(x) > 1e-6)).toBe(true);
      folded.forEach((x, n) => expect(Math.abs(gp.gradW[1][n] - x)).toBeLessThan(1e-12));
      gp.gradW[2].forEach((x, n) => expect(Math.abs(x - gq.gradW[2][n])).toBeLessThan(1e-12));
    }
  });

  it("conv → sum-pool 2 → conv K, stride S equals conv → conv 2K, stride 2S with each tap repeated over a 2×2 block", () => {
    const first = { kind: "conv", filters: 2, kernel: 3, stride: 1, padding: 1, ...lif } as const;
    const common = { input: [2, 9, 8] as [number, number, number], steps: 12, readout: { classes: 3, logits: "sum" as const }, loss, batch: 3 };
    const pooled = buildStackNetwork({
      ...common,
      layers: [first, { kind: "sumpool", size: 2 }, { kind: "conv", filters: 3, kernel: 2, stride: 1, padding: 0, ...lif, tauMs: 9 }, { kind: "flatten" }],
    });
    const wide = buildStackNetwork({
      ...common,
      layers: [first, { kind: "conv", filters: 3, kernel: 4, stride: 2, padding: 0, ...lif, tauMs: 9 }, { kind: "flatten" }],
    });
    const c2 = pooled.layers[2] as ConvLayer;
    expect(c2.outShape).toEqual((wide.layers[1] as ConvLayer).outShape);
    const rng = new Rng(5);
    const w1 = Float64Array.from({ length: 2 * 2 * 9 }, () => ((rng.uniform(-1, 1) + 0.6) / Math.sqrt(18)) * 1.6);
    const w2 = Float64Array.from({ length: 3 * 2 * 4 }, () => (rng.uniform(-1, 1) + 0.5) * 0.4);
    const roW = Float64Array.from({ length: c2.nOut * 3 }, () => rng.uniform(-1, 1));
    // W'[f][c][ky][kx] = W[f][c][⌊ky/2⌋][⌊kx/2⌋].
    const blown = new Float64Array(3 * 2 * 16);
    for (let fc = 0; fc < 6; fc++)
      for (let ky = 0; ky < 4; ky++)
        for (let kx = 0; kx < 4; kx++) blown[(fc * 4 + ky) * 4 + kx] = w2[(fc * 2 + (ky >> 1)) * 2 + (kx >> 1)];
    const batch = randomBatch(12, pooled.input.size, 3, 3, 0.25, 8);
    const fp = referenceForward(pooled, [w1, w2, roW], batch);
    const fw = referenceForward(wide, [w1, blown, roW], batch);
    expect(fp.hidden.map((h) => Array.from(h.S))).toEqual(fw.hidden.map((h) => Array.from(h.S)));
    expect(fp.hidden[1].S.reduce((a, s) => a + s, 0)).toBeGreaterThan(5);
    fp.hidden.forEach((h, k) => h.V.forEach((v, n) => expect(Math.abs(v - fw.hidden[k].V[n])).toBeLessThan(1e-12)));
    for (const mode of ["full", "truncated"] as const) {
      const gp = referenceBackward(pooled, [w1, w2, roW], batch, fp, mode);
      const gw = referenceBackward(wide, [w1, blown, roW], batch, fw, mode);
      expect(gp.gradW[0].some((x) => Math.abs(x) > 1e-6)).toBe(true);
      gp.gradW[0].forEach((x, n) => expect(Math.abs(x - gw.gradW[0][n])).toBeLessThan(1e-12));
      const folded = new Float64Array(w2.length);
      for (let fc = 0; fc < 6; fc++)
        for (let ky = 0; ky < 4; ky++)
          for (let kx = 0; kx < 4; kx++) folded[(fc * 2 + (ky >> 1)) * 2 + (kx >> 1)] += gw.gradW[1][(fc * 4 + ky) * 4 + kx];
      folded.forEach((x, n) => expect(Math.abs(gp.gradW[1][n] - x)).toBeLessThan(1e-12));
      gp.gradW[2].forEach((x, n) => expect(Math.abs(x - gw.gradW[2][n])).toBeLessThan(1e-12));
    }
  });
});
