// The float64 oracle's ALIF (adaptive threshold, docs/design.md §2.1): a hand-computed forward, a
// zero β_a giving LIF back, and referenceBackward (BPTT through V and the adaptation a) against
// forward-mode differentiation of the same surrogate model, for the weights and for the layer's
// β_a and ρ, whose gradients the oracle returns in adaptGrads (ρ's both ways: the adjoint sum and
// the forward trace P of §2.1).

import { describe, expect, it } from "vitest";
import type { Network } from "../../compiler/ir/types.ts";
import { packBatch, type SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { checkSpecText } from "../../compiler/spec/index.ts";
import { randomSpec } from "../support/random-spec.ts";
import { buildNetwork, type LifOptions } from "./helpers.ts";
import { denseInput, referenceBackward, referenceForward, softmax, surrogate } from "./index.ts";

describe("referenceForward: ALIF", () => {
  it("the threshold rises by β_a per spike and decays by ρ (IF, V_th = 1, I = 0.6, ρ = 0.5, β_a = 1)", () => {
    // a: 0 0 0 1 .5 .25 1.125 .5625; V: 0 .6 1.2 .8 1.4 2 1.6 2.2; θ = 1 + a: spikes at t = 2, 5, 7
    // (a plain LIF would also spike at t = 4: V = 1.4 > 1).
    const net = buildNetwork({ inputs: 1, steps: 8, hidden: [{ size: 1, leak: false, vTh: 1, vReset: 0, rho: 0.5, betaAdapt: 1 }], readout: { classes: 2 } });
    const times = Int32Array.from({ length: 8 }, (_, t) => t);
    const f = referenceForward(net, [Float64Array.of(0.6), Float64Array.of(0, 0)], packBatch([{ times, units: new Int32Array(8), label: 0 }], 8, 1));
    const h = f.hidden[0];
    expect(Array.from(h.S)).toEqual([0, 0, 1, 0, 0, 1, 0, 1]);
    const a = [0, 0, 0, 1, 0.5, 0.25, 1.125, 0.5625];
    const v = [0, 0.6, 1.2, 0.8, 1.4, 2, 1.6, 2.2];
    Array.from(h.A!).forEach((x, t) => expect(x).toBeCloseTo(a[t], 12));
    // The trace holds the threshold-facing membrane V − β_a·a.
    Array.from(h.V).forEach((x, t) => expect(x).toBeCloseTo(v[t] - a[t], 12));
  });

  it("with β_a = 0 it is LIF: the same V and spikes, the same gradients", () => {
    const o = { size: 4, tauMs: 8, vTh: 1, vReset: 0.1, bTh: 0.6, beta: 3 };
    const alif = net([{ ...o, rho: 0.8, betaAdapt: 0 }]);
    const lif = net([o]);
    const { weights, batch } = randomCase(alif, 3);
    const fa = referenceForward(alif, weights, batch);
    const fl = referenceForward(lif, weights, batch);
    expect(Array.from(fa.hidden[0].S)).toEqual(Array.from(fl.hidden[0].S));
    expect(Array.from(fa.hidden[0].V)).toEqual(Array.from(fl.hidden[0].V));
    const ga = referenceBackward(alif, weights, batch, fa, "truncated").gradW;
    const gl = referenceBackward(lif, weights, batch, fl, "truncated").gradW;
    ga.forEach((g, k) => expect(Array.from(g)).toEqual(Array.from(gl[k])));
  });
});

const CASES: { name: string; hidden: LifOptions[] }[] = [
  { name: "one ALIF layer", hidden: [{ rho: 0.85, betaAdapt: 0.7 }] },
  { name: "ALIF + to_reset under a LIF layer", hidden: [{ rho: 0.7, betaAdapt: 1.2, reset: "to_reset" }, {}] },
  { name: "LIF under an ALIF layer with subtract_same_step", hidden: [{}, { rho: 0.9, betaAdapt: 0.4, reset: "subtract_same_step" }] },
];

function net(hidden: ({ size?: number } & LifOptions)[], logits: "max" | "sum" = "sum"): Network {
  return buildNetwork({
    inputs: 3,
    steps: 14,
    hidden: hidden.map((h, k) => ({ size: 3 + k, tauMs: 8, vTh: 1, vReset: 0.1, vRest: 0.05, bTh: 0.6, beta: 3, ...h })),
    readout: { classes: 3, tauMs: 12, logits },
    batch: 2,
  });
}

function randomCase(n: Network, seed: number): { weights: Float64Array[]; batch: SpikeBatch } {
  const rng = new Rng(seed);
  const weights = n.layers.flatMap((l) => ("weights" in l ? l.weights.map((w) => Float64Array.from({ length: w.size }, () => rng.uniform(-0.3, 1.2) / Math.sqrt(l.nIn))) : []));
  const samples = [0, 1].map((b) => {
    const times: number[] = [];
    const units: number[] = [];
    for (let t = 0; t < n.steps; t++) for (let i = 0; i < n.input.size; i++) if (rng.next() < 0.35) (times.push(t), units.push(i));
    return { times: Int32Array.from(times), units: Int32Array.from(units), label: b % n.classes };
  });
  return { weights, batch: packBatch(samples, n.steps, n.input.size) };
}

/** The direction to differentiate in: one weight entry, or one hidden layer's β_a or ρ. */
type Direction = { tensor: number; entry: number } | { layer: number; param: "beta" | "rho" };

/**
 * Forward-mode differentiation of the surrogate model (dense layers, non-spiking readout, CE only):
 * each neuron carries (V̇, ȧ); a spike's tangent is Ṡ[t] = g·(V̇[t] − β_a·ȧ[t] − β̇_a·a[t]) (t ≥ 1),
 * ȧ[t+1] = ρ·ȧ[t] + ρ̇·a[t] + Ṡ[t]; resets are constants (to_reset: V̇' = (1 − S)·V̇).
 */
function tangentLoss(n: Network, weights: Float64Array[], batch: SpikeBatch, dir: Direction, mode: "truncated" | "full"): number {
  const B = batch.batch;
  const T = n.steps;
  const fwd = referenceForward(n, weights, batch);
  let input = denseInput(batch);
  let dInput = new Float64Array(input.length);
  let h = 0;
  let dLogits = new Float64Array(0);
  let next = 0; // the layer's first tensor in weights[]: W, then a trained ALIF's ρ and β_a
  n.layers.forEach((layer) => {
    if (layer.kind !== "dense" && layer.kind !== "readout") throw new Error("dense networks only");
    const k = next;
    next += layer.weights.length;
    const W = weights[k];
    const at = (role: string) => k + layer.weights.findIndex((w) => w.role === role);
    const [kRho, kBeta] = layer.weights.some((w) => w.role === "rho") ? [at("rho"), at("beta_adapt")] : [-1, -1];
    const { nIn, nOut: N } = layer;
    const I = new Float64Array(B * T * N);
    const dI = new Float64Array(B * T * N);
    for (let bt = 0; bt < B * T; bt++)
      for (let j = 0; j < N; j++) {
        let dc = 0;
        for (let i = 0; i < nIn; i++) dc += dInput[bt * nIn + i] * W[i * N + j] + ("tensor" in dir && dir.tensor === k && dir.entry === i * N + j ? input[bt * nIn + i] : 0);
        dI[bt * N + j] = dc;
      }
    void I;
    if (layer.kind === "readout") {
      const C = N;
      dLogits = new Float64Array(B * C);
      for (let b = 0; b < B; b++)
        for (let c = 0; c < C; c++) {
          let dv = 0;
          for (let t = 0; t + 1 < T; t++) {
            dv = layer.alpha * dv + layer.inputScale * dI[(b * T + t) * C + c];
            if (layer.logits === "sum" || fwd.argmax[b * C + c] === t + 1) dLogits[b * C + c] += dv;
          }
        }
      return;
    }
    const nr = layer.neuron;
    const here = h;
    const { V, S, A } = fwd.hidden[h++];
    const dS = new Float64Array(B * T * N);
    for (let b = 0; b < B; b++)
      for (let j = 0; j < N; j++) {
        // The layer's ρ and β_a, or neuron j's when trained per neuron (tensors kRho, kBeta).
        const rho = nr.model === "alif" ? (kRho < 0 ? nr.rho : weights[kRho][j]) : 0;
        const betaA = nr.model === "alif" ? (kBeta < 0 ? nr.betaAdapt : weights[kBeta][j]) : 0;
        const per = (t: number) => "tensor" in dir && dir.tensor === t && dir.entry === j;
        const dRho = ("layer" in dir && dir.layer === here && dir.param === "rho") || per(kRho) ? 1 : 0;
        const dBeta = ("layer" in dir && dir.layer === here && dir.param === "beta") || per(kBeta) ? 1 : 0;
        let dv = 0;
        let da = 0;
        for (let t = 0; t + 1 < T; t++) {
          const idx = (b * T + t) * N + j;
          const carried = nr.reset === "to_reset" && S[idx] ? 0 : dv;
          dv = nr.alpha * carried + dI[idx];
          const next = (b * T + t + 1) * N + j;
          if (A) da = rho * da + dRho * A[idx] + dS[idx];
          dS[next] = surrogate(V[next], nr.vTh, nr.beta, nr.bTh, mode) * (dv - betaA * da - (A ? dBeta * A[next] : 0));
        }
      }
    input = S;
    dInput = dS;
  });
  let dL = 0;
  const C = n.classes;
  for (let b = 0; b < B; b++) {
    const p = softmax(fwd.logits.subarray(b * C, (b + 1) * C));
    for (let c = 0; c < C; c++) dL += ((p[c] - (c === batch.labels[b] ? 1 : 0)) * dLogits[b * C + c]) / B;
  }
  return dL;
}

describe("ALIF's BPTT (referenceBackward) equals forward-mode differentiation", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const n = net(c.hidden);
      const { weights, batch } = randomCase(n, 11);
      const fwd = referenceForward(n, weights, batch);
      expect(fwd.hidden.every((hh) => hh.S.some((s) => s === 1))).toBe(true);
      for (const mode of ["truncated", "full"] as const) {
        const { gradW, adaptGrads } = referenceBackward(n, weights, batch, fwd, mode);
        let nonZero = 0;
        gradW.forEach((g, tensor) =>
          g.forEach((x, entry) => {
            expect(x).toBeCloseTo(tangentLoss(n, weights, batch, { tensor, entry }, mode), 12);
            if (Math.abs(x) > 1e-8) nonZero++;
          }),
        );
        expect(nonZero).toBeGreaterThan(gradW.length);
        c.hidden.forEach((o, layer) => {
          const g = adaptGrads[layer];
          if (o.rho === undefined) return expect(g).toBeNull();
          expect(g!.dBeta).toBeCloseTo(tangentLoss(n, weights, batch, { layer, param: "beta" }, mode), 12);
          expect(g!.dRho).toBeCloseTo(tangentLoss(n, weights, batch, { layer, param: "rho" }, mode), 12);
          expect(g!.dRhoTrace).toBeCloseTo(g!.dRho, 12);
          expect(Math.abs(g!.dBeta) + Math.abs(g!.dRho)).toBeGreaterThan(1e-6);
        });
      }
    });
  }
});

describe("ALIF's per-neuron ρ and β_a (learn_adapt): referenceBackward equals forward-mode differentiation", () => {
  it("every neuron's ∂L/∂ρ and ∂L/∂β_a, an ALIF layer with to_reset under a LIF layer", () => {
    const n = net([{ rho: 0.8, betaAdapt: 0.9, reset: "to_reset" }, {}]);
    const l1 = n.layers[0];
    if (l1.kind !== "dense" || l1.neuron.model !== "alif") throw new Error("shape");
    l1.neuron.learnAdapt = { rhoMin: Math.exp(-1), rhoMax: Math.exp(-1 / 1000) };
    const perNeuron = (name: string, role: "rho" | "beta_adapt") => ({ name, role, shape: [l1.nOut], size: l1.nOut, init: { distribution: "constant" as const, scale: 0, fanIn: 0, bound: 0, value: 0 } });
    l1.weights.push(perNeuron("ra1", "rho"), perNeuron("ba1", "beta_adapt"));
    const { weights, batch } = randomCase(n, 17);
    // Each neuron its own ρ and β_a (weights[1], weights[2]: after l1's W).
    const rng = new Rng(5);
    weights[1] = Float64Array.from({ length: l1.nOut }, () => rng.uniform(0.6, 0.95));
    weights[2] = Float64Array.from({ length: l1.nOut }, () => rng.uniform(0.3, 1.5));
    const fwd = referenceForward(n, weights, batch);
    expect(fwd.hidden[0].S.some((s) => s === 1)).toBe(true);
    for (const mode of ["truncated", "full"] as const) {
      const { gradW } = referenceBackward(n, weights, batch, fwd, mode);
      for (const tensor of [1, 2]) {
        gradW[tensor].forEach((x, entry) => expect(x).toBeCloseTo(tangentLoss(n, weights, batch, { tensor, entry }, mode), 12));
        expect(gradW[tensor].filter((x) => Math.abs(x) > 1e-8).length, `tensor ${tensor}: neurons with a gradient`).toBeGreaterThan(1);
      }
      // The weights' gradients too, with per-neuron ρ and β_a in the forward.
      gradW[0].forEach((x, entry) => expect(x).toBeCloseTo(tangentLoss(n, weights, batch, { tensor: 0, entry }, mode), 12));
    }
  });
});

describe("randomSpec's alif option", () => {
  it("adds tau_adapt_ms and beta_adapt to layers without CuBa (at least one where there is one), changing nothing else; the specs are valid", () => {
    const strip = (spec: ReturnType<typeof randomSpec>) =>
      spec.layers.map((l) => {
        if (l.kind !== "dense" || !l.neuron) return l;
        const { tau_adapt_ms: _t, beta_adapt: _b, ...neuron } = l.neuron;
        return { ...l, neuron };
      });
    for (let seed = 1; seed <= 12; seed++)
      for (const base of [{ bias: true }, { cuba: true, toReset: true }] as const) {
        const s = randomSpec(seed, { ...base, alif: true });
        expect(strip(s)).toEqual(randomSpec(seed, base).layers);
        const adaptive = s.layers.filter((l) => l.kind === "dense" && l.neuron?.tau_adapt_ms !== undefined);
        const plain = s.layers.filter((l) => l.kind === "dense" && l.neuron?.tau_syn_ms === undefined);
        expect(adaptive.length).toBe(plain.length === 0 ? 0 : Math.max(1, adaptive.length));
        for (const l of adaptive) expect(l.kind === "dense" && l.neuron?.tau_syn_ms).toBeUndefined();
        const r = checkSpecText(JSON.stringify(s), "r.json");
        expect(r.ok, JSON.stringify(r)).toBe(true);
      }
  });

  it('"learn" adds learn_adapt to ALIF layers without a bias (at least one where there is one), changing nothing else; the specs are valid', () => {
    const strip = (spec: ReturnType<typeof randomSpec>) =>
      spec.layers.map((l) => {
        if (l.kind !== "dense" || !l.neuron) return l;
        const { learn_adapt: _l, ...neuron } = l.neuron;
        return { ...l, neuron };
      });
    let trained = 0;
    for (let seed = 1; seed <= 12; seed++)
      for (const base of [{ bias: true }, { toReset: true, recurrent: "all" }] as const) {
        const s = randomSpec(seed, { ...base, alif: "learn" });
        expect(strip(s)).toEqual(randomSpec(seed, { ...base, alif: true }).layers);
        const learned = s.layers.filter((l) => l.kind === "dense" && l.neuron?.learn_adapt === true);
        const eligible = s.layers.filter((l) => l.kind === "dense" && l.neuron?.tau_adapt_ms !== undefined && !l.bias && l.neuron.tau_adapt_ms >= s.time.dt_ms);
        expect(learned.length).toBe(eligible.length === 0 ? 0 : Math.max(1, learned.length));
        trained += learned.length;
        const r = checkSpecText(JSON.stringify(s), "r.json");
        expect(r.ok, JSON.stringify(r)).toBe(true);
      }
    expect(trained).toBeGreaterThan(0);
  });
});
