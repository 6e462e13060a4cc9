import { describe, expect, it } from "vitest";
import type { DenseLayer, Network, ReadoutLayer } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { calibratedWeights, mixSeed, randomBatch } from "../support/random-data.ts";
import { randomSpec } from "../support/random-spec.ts";
import { networkFromSpec } from "./helpers.ts";
import { referenceBackward, referenceForward, referenceMargins, type RefForward } from "./index.ts";

// ---- Test cases: random dense specs (test/support/random-spec.ts) with weights calibrated to fire.

interface Case {
  net: Network;
  weights: Float64Array[];
  batch: SpikeBatch;
}

function randomCase(seed: number, opts: { depth1?: boolean; density?: number } = {}): Case {
  const spec = randomSpec(seed);
  if (opts.depth1) spec.layers = [spec.layers[0], spec.layers[spec.layers.length - 1]];
  const net = networkFromSpec(spec);
  const density = opts.density ?? 0.2;
  const B = net.training.batch;
  const probe = randomBatch(net.steps, net.input.size, Math.max(B, 4), net.classes, density, mixSeed(seed, 11));
  const weights = calibratedWeights(net, probe, mixSeed(seed, 12));
  const batch = randomBatch(net.steps, net.input.size, B, net.classes, density, mixSeed(seed, 13));
  return { net, weights, batch };
}

const hiddenOf = (net: Network) => net.layers.filter((l): l is DenseLayer => l.kind === "dense");
const readoutOf = (net: Network) => net.layers[net.layers.length - 1] as ReadoutLayer;
const totalSpikes = (f: RefForward) => f.hidden.reduce((s, h) => s + h.S.reduce((a, x) => a + x, 0), 0);
const maxAbs = (xs: Float64Array[]) => Math.max(...xs.map((x) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));

function expectClose(actual: Float64Array[], expected: Float64Array[], rel: number): void {
  const scale = Math.max(1, maxAbs(expected));
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) => {
    expect(a.length).toBe(expected[k].length);
    for (let n = 0; n < a.length; n++) {
      if (!(Math.abs(a[n] - expected[k][n]) <= rel * scale)) {
        throw new Error(`gradW[${k}][${n}]: ${a[n]} vs ${expected[k][n]} (tolerance ${rel * scale})`);
      }
    }
  });
}

// ---- Independent formulas, written here from the paper rather than from backward.ts.

/** Own surrogate: full g, or g inside |V − V_th| < B_th only. */
function g(v: number, lif: DenseLayer["neuron"], mode: "full" | "truncated"): number {
  const d = Math.abs(v - lif.vTh);
  if (mode === "truncated" && d >= lif.bTh) return 0;
  return 1 / (lif.beta * d + 1) ** 2;
}

/** ∂L/∂a of one sample, own softmax; also the max-over-t argmax, recomputed from readoutV. */
function logitGrads(net: Network, f: RefForward, batch: SpikeBatch, b: number) {
  const T = net.steps;
  const C = net.classes;
  const ro = readoutOf(net);
  const a: number[] = [];
  const tStar: number[] = [];
  for (let c = 0; c < C; c++) {
    const vs = Array.from({ length: T }, (_, t) => f.readoutV[(b * T + t) * C + c]);
    if (ro.logits === "max") {
      const m = Math.max(...vs);
      tStar.push(vs.indexOf(m));
      a.push(m);
    } else {
      tStar.push(-1);
      a.push(vs.reduce((s, v) => s + v, 0));
    }
  }
  const m = Math.max(...a);
  const z = a.reduce((s, x) => s + Math.exp(x - m), 0);
  const dA = a.map((x, c) => (Math.exp(x - m) / z - (c === batch.labels[b] ? 1 : 0)) / batch.batch);
  /** ∂L/∂V_c[t] through the logit only (not through later V). */
  const direct = (c: number, t: number) => (ro.logits === "max" ? (t === tStar[c] ? dA[c] : 0) : dA[c]);
  return { a, dA, direct };
}

/** Own regulariser derivative ∂L_reg/∂ζ_j for one sample (1/B included). */
function regGrad(net: Network, zeta: number[], j: number, B: number): number {
  const N = zeta.length;
  const { activityLow: lo, activityUp: up } = net.loss;
  const low = lo.nu - zeta[j] > 0 ? (-2 * lo.lambda * (lo.nu - zeta[j])) / N : 0;
  const upOn = zeta.reduce((s, x) => s + x, 0) / N - up.nu > 0;
  return (low + (upOn ? up.lambda / N : 0)) / B;
}

const inputSpike = (batch: SpikeBatch, b: number, t: number, i: number): number => {
  const k0 = batch.offsets[b * batch.steps + t];
  const k1 = batch.offsets[b * batch.steps + t + 1];
  for (let k = k0; k < k1; k++) if (batch.indices[k] === i) return 1;
  return 0;
};

/**
 * The paper's direct formula for one hidden layer + readout:
 *   ∇W_ij = Σ_t e_j[t]·Σ_{k<t} α^{t−k−1} S_i[k],  e_j[t] = ∇S_j[t]·g(V_j[t]),
 *   ∇S_j[t] = Σ_c W2_jc·s·Σ_{u>t} α_r^{u−t−1}·∂L/∂V_c[u] (direct) + ∂L_reg/∂ζ_j,
 *   ∇W2_jc = s·Σ_t ∂L/∂V_c[t] (direct)·Σ_{k<t} α_r^{t−k−1} S_j[k].
 */
function pathGradients(c: Case, f: RefForward, mode: "full" | "truncated"): Float64Array[] {
  const { net, weights, batch } = c;
  const [h] = hiddenOf(net);
  const ro = readoutOf(net);
  const T = net.steps;
  const nIn = h.nIn;
  const N = h.nOut;
  const C = ro.nOut;
  const gW1 = new Float64Array(nIn * N);
  const gW2 = new Float64Array(N * C);
  for (let b = 0; b < batch.batch; b++) {
    const { direct } = logitGrads(net, f, batch, b);
    const S = (t: number, j: number) => f.hidden[0].S[(b * T + t) * N + j];
    const V = (t: number, j: number) => f.hidden[0].V[(b * T + t) * N + j];
    const zeta = Array.from({ length: N }, (_, j) => {
      let z = 0;
      for (let t = 0; t < T; t++) z += S(t, j);
      return z;
    });
    for (let j = 0; j < N; j++) {
      for (let cl = 0; cl < C; cl++) {
        let sum = 0;
        for (let t = 0; t < T; t++) {
          let trace = 0;
          for (let k = 0; k < t; k++) trace += ro.alpha ** (t - k - 1) * S(k, j);
          sum += direct(cl, t) * trace;
        }
        gW2[j * C + cl] += ro.inputScale * sum;
      }
      for (let t = 1; t < T; t++) {
        let dS = regGrad(net, zeta, j, batch.batch);
        for (let cl = 0; cl < C; cl++) {
          for (let u = t + 1; u < T; u++) dS += weights[1][j * C + cl] * ro.inputScale * ro.alpha ** (u - t - 1) * direct(cl, u);
        }
        const e = dS * g(V(t, j), h.neuron, mode);
        if (e === 0) continue;
        for (let i = 0; i < nIn; i++) {
          let trace = 0;
          for (let k = 0; k < t; k++) trace += h.neuron.alpha ** (t - k - 1) * inputSpike(batch, b, k, i);
          gW1[i * N + j] += e * trace;
        }
      }
    }
  }
  return [gW1, gW2];
}

/**
 * Forward-mode derivative of the surrogate model along direction D (one tensor per weighted
 * layer): dV[t+1] = α·dV[t] + Σ_i (dS_in,i[t]·W_ij + S_in,i[t]·D_ij), dS[t] = g(V[t])·dV[t] (t ≥ 1),
 * reset constant; then dL = Σ ∂L/∂a·da + Σ ∂L_reg/∂ζ·dζ. Must equal Σ_k ⟨gradW_k, D_k⟩.
 */
function directionalDerivative(c: Case, f: RefForward, D: Float64Array[], mode: "full" | "truncated"): number {
  const { net, weights, batch } = c;
  const T = net.steps;
  const B = batch.batch;
  const hidden = hiddenOf(net);
  const ro = readoutOf(net);
  let dL = 0;
  for (let b = 0; b < B; b++) {
    let nIn = net.input.size;
    let sIn = (t: number, i: number) => inputSpike(batch, b, t, i);
    let dSin: number[][] = Array.from({ length: T }, () => new Array(nIn).fill(0));
    hidden.forEach((h, k) => {
      const N = h.nOut;
      const S = f.hidden[k].S;
      const V = f.hidden[k].V;
      const dS: number[][] = Array.from({ length: T }, () => new Array(N).fill(0));
      const zeta = Array.from(f.spikeCounts[k].subarray(b * N, (b + 1) * N));
      for (let j = 0; j < N; j++) {
        let dV = 0;
        for (let t = 0; t + 1 < T; t++) {
          let dI = 0;
          for (let i = 0; i < nIn; i++) dI += dSin[t][i] * weights[k][i * N + j] + sIn(t, i) * D[k][i * N + j];
          dV = h.neuron.alpha * dV + dI;
          dS[t + 1][j] = g(V[(b * T + t + 1) * N + j], h.neuron, mode) * dV;
        }
        let dZeta = 0;
        for (let t = 1; t < T; t++) dZeta += dS[t][j];
        dL += regGrad(net, zeta, j, B) * dZeta;
      }
      const nPrev = N;
      sIn = (t, i) => S[(b * T + t) * nPrev + i];
      dSin = dS;
      nIn = N;
    });
    const C = ro.nOut;
    const kR = weights.length - 1;
    const { dA } = logitGrads(net, f, batch, b);
    for (let cl = 0; cl < C; cl++) {
      let dV = 0;
      const dVs = [0];
      for (let t = 0; t + 1 < T; t++) {
        let dI = 0;
        for (let i = 0; i < nIn; i++) dI += dSin[t][i] * weights[kR][i * C + cl] + sIn(t, i) * D[kR][i * C + cl];
        dV = ro.alpha * dV + ro.inputScale * dI;
        dVs.push(dV);
      }
      const da = ro.logits === "max" ? dVs[f.argmax[b * C + cl]] : dVs.reduce((s, x) => s + x, 0);
      dL += dA[cl] * da;
    }
  }
  return dL;
}

// ---- Tests.

describe("referenceBackward: truncated against full surrogate", () => {
  it("is identical when every neuron-time is active (β small, B_th huge)", () => {
    for (let seed = 0; seed < 12; seed++) {
      const c = randomCase(seed);
      for (const h of hiddenOf(c.net)) {
        h.neuron.beta = 0.5;
        h.neuron.bTh = 1e9;
      }
      const f = referenceForward(c.net, c.weights, c.batch);
      const full = referenceBackward(c.net, c.weights, c.batch, f, "full");
      const trunc = referenceBackward(c.net, c.weights, c.batch, f, "truncated");
      expect(trunc.gradW).toEqual(full.gradW);
      expect(maxAbs(full.gradW.slice(0, -1))).toBeGreaterThan(0);
    }
  });

  it("differs for a normal band, and only the readout survives an empty band", () => {
    let differing = 0;
    for (let seed = 0; seed < 12; seed++) {
      const c = randomCase(seed);
      const f = referenceForward(c.net, c.weights, c.batch);
      const full = referenceBackward(c.net, c.weights, c.batch, f, "full");
      const trunc = referenceBackward(c.net, c.weights, c.batch, f, "truncated");
      const diff = full.gradW.map((gf, k) => gf.reduce((m, x, n) => Math.max(m, Math.abs(x - trunc.gradW[k][n])), 0));
      if (Math.max(...diff) > 1e-9) differing++;
      // The readout's own gradient never involves the surrogate.
      expect(trunc.gradW[trunc.gradW.length - 1]).toEqual(full.gradW[full.gradW.length - 1]);

      for (const h of hiddenOf(c.net)) h.neuron.bTh = 0;
      const none = referenceBackward(c.net, c.weights, c.batch, f, "truncated");
      none.gradW.slice(0, -1).forEach((gw) => expect(gw.every((x) => x === 0)).toBe(true));
      expect(none.gradW[none.gradW.length - 1]).toEqual(full.gradW[full.gradW.length - 1]);
    }
    expect(differing).toBeGreaterThanOrEqual(10);
  });
});

describe("referenceBackward against the paper's direct formula (one hidden layer)", () => {
  for (const mode of ["full", "truncated"] as const) {
    it(`matches within 1e-12 (${mode} surrogate)`, () => {
      let nonzeroHidden = 0;
      const seen = new Set<string>();
      for (let seed = 100; seed < 124; seed++) {
        const c = randomCase(seed, { depth1: true });
        const f = referenceForward(c.net, c.weights, c.batch);
        const ref = referenceBackward(c.net, c.weights, c.batch, f, mode);
        const paths = pathGradients(c, f, mode);
        expectClose(ref.gradW, paths, 1e-12);
        if (maxAbs([ref.gradW[0]]) > 1e-6 && totalSpikes(f) > 0) nonzeroHidden++;
        seen.add(readoutOf(c.net).logits);
      }
      expect(nonzeroHidden).toBeGreaterThanOrEqual(15);
      expect(seen).toEqual(new Set(["max", "sum"]));
    });
  }
});

describe("referenceBackward against forward-mode differentiation (any depth)", () => {
  for (const mode of ["full", "truncated"] as const) {
    it(`⟨gradW, D⟩ equals the directional derivative (${mode} surrogate)`, () => {
      const depths = new Set<number>();
      for (let seed = 200; seed < 224; seed++) {
        const c = randomCase(seed);
        depths.add(hiddenOf(c.net).length);
        const f = referenceForward(c.net, c.weights, c.batch);
        const ref = referenceBackward(c.net, c.weights, c.batch, f, mode);
        const rng = new Rng(mixSeed(seed, 5));
        const D = c.weights.map((w) => Float64Array.from(w, () => rng.uniform(-1, 1)));
        // Also each layer alone, so one layer's error cannot hide behind another's.
        for (let only = -1; only < D.length; only++) {
          const Dk = D.map((d, k) => (only < 0 || k === only ? d : new Float64Array(d.length)));
          const dot = ref.gradW.reduce((s, gw, k) => s + gw.reduce((a, x, n) => a + x * Dk[k][n], 0), 0);
          const jvp = directionalDerivative(c, f, Dk, mode);
          expect(Math.abs(dot - jvp)).toBeLessThanOrEqual(1e-11 * Math.max(1, Math.abs(jvp)));
        }
      }
      expect(depths).toEqual(new Set([1, 2, 3]));
    });
  }
});

describe("referenceBackward against finite differences (readout weights)", () => {
  // Hidden spikes do not depend on the readout weights, and the logits are smooth in them as long
  // as the max-over-t choice does not switch: central differences are valid there.
  it("matches within 1e-6 relative", () => {
    let checked = 0;
    const modes = new Set<string>();
    for (let seed = 300; seed < 330 && checked < 12; seed++) {
      const c = randomCase(seed);
      const f = referenceForward(c.net, c.weights, c.batch);
      if (referenceMargins(c.net, f).argmaxGap < 1e-3) continue;
      const { gradW } = referenceBackward(c.net, c.weights, c.batch, f, "full");
      const kR = c.weights.length - 1;
      const h = 1e-5;
      const loss = (n: number, delta: number) => {
        const w = c.weights.map((x) => x.slice());
        w[kR][n] += delta;
        const g = referenceForward(c.net, w, c.batch);
        expect(g.argmax).toEqual(f.argmax);
        return g.loss.total;
      };
      const grad = gradW[kR];
      let nonzero = 0;
      for (let n = 0; n < grad.length; n++) {
        const fd = (loss(n, h) - loss(n, -h)) / (2 * h);
        expect(Math.abs(fd - grad[n])).toBeLessThanOrEqual(1e-6 * Math.abs(grad[n]) + 1e-9);
        if (Math.abs(grad[n]) > 1e-4) nonzero++;
      }
      expect(nonzero).toBeGreaterThan(0);
      modes.add(readoutOf(c.net).logits);
      checked++;
    }
    expect(checked).toBe(12);
    expect(modes).toEqual(new Set(["max", "sum"]));
  });
});
