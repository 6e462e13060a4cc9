// The float64 oracle on recurrent dense layers and spiking readouts (docs/design.md §2):
// - hand cases: recurrence drives a neuron no input reaches; a spiking readout's logits are counts;
// - the same forward written another way: a recurrent layer equals a plain layer whose input is
//   [its input, its own spikes] through [W; R], once its own spikes are known;
// - the same gradient written another way: forward-mode tangents (a directional derivative built
//   step by step alongside the forward, with the same surrogate and undifferentiated reset) equal
//   the reverse-mode BPTT gradient dotted with the direction, for both surrogates.

import { describe, expect, it } from "vitest";
import type { Network, NeuronIR, SpikingLayer } from "../../compiler/ir/types.ts";
import { isSpiking, weightTensors } from "../../compiler/ir/layers.ts";
import { packBatch, type SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { networkOf } from "../support/build-model.ts";
import { calibratedWeights, mixSeed, randomBatch } from "../support/random-data.ts";
import { randomSpec } from "../support/random-spec.ts";
import { buildNetwork } from "./helpers.ts";
import { activityLowGrad, activityUpGrad, denseInput, referenceBackward, referenceForward, sampleCrossEntropyGrad, surrogate } from "./index.ts";

const batchOf = (T: number, inputs: number, events: [number, number][]): SpikeBatch =>
  packBatch([{ times: Int32Array.from(events.map((e) => e[0])), units: Int32Array.from(events.map((e) => e[1])), label: 0 }], T, inputs);

describe("recurrent layers and spiking readouts: hand cases", () => {
  it("recurrence makes a neuron that no input reaches spike, one step after its driver", () => {
    const net = buildNetwork({ inputs: 1, steps: 4, hidden: [{ size: 2, alpha: 0.5, recurrent: true }], readout: { classes: 2 } });
    // W = [1.5, 0]: only neuron 0 sees the input; R[0][1] = 1.2: neuron 0's spikes drive neuron 1.
    const weights = [Float64Array.from([1.5, 0]), Float64Array.from([0, 1.2, 0, 0]), new Float64Array(4)];
    const f = referenceForward(net, weights, batchOf(4, 1, [[0, 0]]));
    const { V, S } = f.hidden[0];
    // V[1] = (1.5, 0) → S[1] = (1, 0); V[2] = (0.5·1.5 − 1, 1.2) → S[2] = (0, 1); V[3] = (−0.125, 0.6 − 1).
    expect(Array.from(S)).toEqual([0, 0, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(V)).toEqual([0, 0, 1.5, 0, -0.25, 1.2, -0.125, 0.6 - 1]);
    // Without R neuron 1 stays at rest.
    const plain = referenceForward(net, [weights[0], new Float64Array(4), weights[2]], batchOf(4, 1, [[0, 0]]));
    expect(Array.from(plain.hidden[0].S)).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it("∇R of the hand case: one spike of neuron 0 at t = 1, δ of neuron 1 at V[2]", () => {
    const net = buildNetwork({ inputs: 1, steps: 4, hidden: [{ size: 2, alpha: 0.5, recurrent: true, bTh: 0.5, beta: 1 }], readout: { classes: 2, alpha: 0.5, logits: "sum" } });
    const weights = [Float64Array.from([1.5, 0]), Float64Array.from([0, 1.2, 0, 0]), Float64Array.from([0, 0, 1, 0])];
    const batch = batchOf(4, 1, [[0, 0]]);
    const f = referenceForward(net, weights, batch);
    const bw = referenceBackward(net, weights, batch, f, "full");
    // Only S_0[1] = 1 meets R: ∇R[0][j] = δ_j[2] = ∂L/∂V_j[2] and row 1 of ∇R is 0 (neuron 1's one
    // spike, at t = 2, feeds R at V[3], which reaches no logit through R). δ_1[2] = g(V_1[2])·∂L/∂S_1[2]
    // (+ α·δ_1[3], and δ_1[3] = 0: S_1[3] feeds nothing simulated); S_1[2] reaches logit 0 through
    // W_out[1][0] = 1 at V_0[3], once (sum logits), so ∂L/∂S_1[2] = ∂L/∂a_0.
    const dA = bw.dLdLogits[0];
    const g12 = surrogate(1.2, 1, 1, 0.5, "full");
    expect(bw.gradW[1][1]).toBeCloseTo(g12 * dA, 12);
    expect(bw.gradW[1][2]).toBe(0);
    expect(bw.gradW[1][3]).toBe(0);
  });

  it("a spiking readout's logits are its spike counts", () => {
    const net = networkOf(randomSpec(13, { spikingReadout: true }));
    const probe = randomBatch(net.steps, net.input.size, 4, net.classes, 0.2, 1);
    const weights = calibratedWeights(net, probe, 2);
    const f = referenceForward(net, weights, probe);
    const S = f.hidden[f.hidden.length - 1].S;
    const C = net.classes;
    let total = 0;
    for (let b = 0; b < 4; b++)
      for (let c = 0; c < C; c++) {
        let n = 0;
        for (let t = 0; t < net.steps; t++) n += S[(b * net.steps + t) * C + c];
        expect(f.logits[b * C + c]).toBe(n);
        total += n;
      }
    expect(total).toBeGreaterThan(0);
    // No activity penalty on the readout: the penalties are those of the hidden layers alone.
    expect(f.spikeCounts.length).toBe(f.hidden.length);
  });
});

describe("a recurrent layer is a plain layer fed its own spikes through [W; R]", () => {
  for (const seed of [1, 5]) {
    it(`random spec ${seed}, every hidden layer recurrent`, () => {
      const net = networkOf(randomSpec(seed, { recurrent: "all" }));
      const B = net.training.batch;
      const batch = randomBatch(net.steps, net.input.size, B, net.classes, 0.2, mixSeed(seed, 1));
      const weights = calibratedWeights(net, batch, mixSeed(seed, 2));
      const f = referenceForward(net, weights, batch);
      const first = net.layers[0];
      if (first.kind !== "dense") throw new Error("expected a dense first layer");
      const N = first.nOut;
      const T = net.steps;
      // Input [x; S_own] (nIn + N) into a non-recurrent copy of the first layer with W' = [W; R].
      const plain = buildNetwork({ inputs: first.nIn + N, steps: T, hidden: [{ size: N, ...lifOptions(first.neuron) }], readout: { classes: net.classes } });
      const x = denseInput(batch);
      const own = f.hidden[0].S;
      const samples = Array.from({ length: B }, (_, b) => {
        const times: number[] = [];
        const units: number[] = [];
        for (let t = 0; t < T; t++) {
          for (let i = 0; i < first.nIn; i++) if (x[(b * T + t) * first.nIn + i]) (times.push(t), units.push(i));
          for (let k = 0; k < N; k++) if (own[(b * T + t) * N + k]) (times.push(t), units.push(first.nIn + k));
        }
        return { times: Int32Array.from(times), units: Int32Array.from(units), label: 0 };
      });
      const W2 = new Float64Array((first.nIn + N) * N);
      W2.set(weights[0]);
      W2.set(weights[1], first.nIn * N);
      const g = referenceForward(plain, [W2, new Float64Array(N * net.classes)], packBatch(samples, T, first.nIn + N));
      expect(Array.from(g.hidden[0].S)).toEqual(Array.from(own));
      for (let n = 0; n < own.length; n++) expect(g.hidden[0].V[n]).toBeCloseTo(f.hidden[0].V[n], 12);
      expect(own.reduce((a, s) => a + s, 0)).toBeGreaterThan(0);
    });
  }
});

function lifOptions(n: NeuronIR) {
  return { alpha: n.alpha, vTh: n.vTh, vReset: n.vReset, vRest: n.vRest, bTh: n.bTh, beta: n.beta };
}

// ---- Forward-mode tangents: dL along a random direction dθ, built alongside the forward. ----

/** dL for weights + ε·direction, to first order, with the surrogate standing in for dS/dV. */
function directional(net: Network, weights: Float64Array[], dir: Float64Array[], batch: SpikeBatch, mode: "full" | "truncated"): number {
  const f = referenceForward(net, weights, batch);
  const B = batch.batch;
  const T = net.steps;
  const tensors = weightTensors(net);
  let k = 0;
  let h = 0;
  let input: Uint8Array = denseInput(batch);
  let dInput = new Float64Array(input.length); // tangent of the layer's input spikes
  let dLogits = new Float64Array(B * net.classes);
  const dReg: number[] = [];
  for (const layer of net.layers) {
    if (layer.kind !== "dense" && layer.kind !== "readout") throw new Error("dense networks only");
    const N = layer.nOut;
    const nIn = layer.nIn;
    const W = weights[k];
    const dW = dir[k++];
    const rec = tensors[k]?.role === "recurrent" ? k++ : -1;
    const bias = tensors[k]?.role === "bias" ? k++ : -1;
    const scale = layer.kind === "readout" ? layer.inputScale : 1;
    const spiking = isSpiking(layer);
    const trace = spiking ? f.hidden[h++] : null;
    const V = trace ? trace.V : f.readoutV;
    const alpha = layer.kind === "readout" ? layer.alpha : layer.neuron.alpha;
    // CuBa: J̇[t+1] = α_syn·J̇[t] + İ[t] drives V̇[t+1]; to_reset: a spike at t zeroes the carried V̇
    // (subtract and subtract_same_step subtract a constant: V̇ carries on).
    const neuron = spiking ? (layer as SpikingLayer).neuron : null;
    const alphaSyn = neuron ? (neuron.model === "cuba-lif" ? neuron.alphaSyn : null) : layer.kind === "readout" ? (layer.synapse?.alphaSyn ?? null) : null;
    const toReset = neuron?.reset === "to_reset";
    const dV = new Float64Array(B * T * N);
    const dS = new Float64Array(B * T * N);
    for (let b = 0; b < B; b++) {
      const dJ = new Float64Array(N);
      for (let t = 0; t + 1 < T; t++) {
        const row = (b * T + t) * N;
        const inRow = (b * T + t) * nIn;
        for (let j = 0; j < N; j++) {
          let dI = bias >= 0 ? dir[bias][j] : 0;
          for (let i = 0; i < nIn; i++) dI += dInput[inRow + i] * W[i * N + j] + (input[inRow + i] ? dW[i * N + j] : 0);
          if (rec >= 0)
            for (let q = 0; q < N; q++) dI += dS[row + q] * weights[rec][q * N + j] + (trace!.S[row + q] ? dir[rec][q * N + j] : 0);
          if (alphaSyn !== null) dJ[j] = alphaSyn * dJ[j] + scale * dI;
          const carried = toReset && trace!.S[row + j] ? 0 : dV[row + j];
          dV[row + N + j] = alpha * carried + (alphaSyn !== null ? dJ[j] : scale * dI);
        }
        if (spiking) {
          const n = (layer as SpikingLayer).neuron;
          for (let j = 0; j < N; j++) dS[row + N + j] = surrogate(V[row + N + j], n.vTh, n.beta, n.bTh, mode) * dV[row + N + j];
        }
      }
    }
    if (layer.kind === "readout") {
      const C = N;
      for (let b = 0; b < B; b++)
        for (let c = 0; c < C; c++) {
          let d = 0;
          if (layer.logits === "spike_count") for (let t = 0; t < T; t++) d += dS[(b * T + t) * C + c];
          else if (layer.logits === "sum") for (let t = 0; t < T; t++) d += dV[(b * T + t) * C + c];
          else d = dV[(b * T + f.argmax[b * C + c]) * C + c];
          dLogits[b * C + c] = d;
        }
    } else {
      // Penalties: dL_reg = (1/B)·Σ_b Σ_i ∂L_reg/∂ζ_i·dζ_i.
      let d = 0;
      const zeta = f.spikeCounts[h - 1];
      for (let b = 0; b < B; b++) {
        const z = zeta.subarray(b * N, (b + 1) * N);
        for (let j = 0; j < N; j++) {
          let dz = 0;
          for (let t = 0; t < T; t++) dz += dS[(b * T + t) * N + j];
          d += ((activityLowGrad(z, j, net.loss.activityLow) + activityUpGrad(z, net.loss.activityUp)) * dz) / B;
        }
      }
      dReg.push(d);
      input = trace!.S;
      dInput = dS;
    }
  }
  let dL = dReg.reduce((a, x) => a + x, 0);
  const C = net.classes;
  for (let b = 0; b < B; b++) {
    const gce = sampleCrossEntropyGrad(f.logits.subarray(b * C, (b + 1) * C), batch.labels[b]);
    for (let c = 0; c < C; c++) dL += (gce[c] * dLogits[b * C + c]) / B;
  }
  return dL;
}

const TANGENT_CASES: [string, Parameters<typeof randomSpec>[1], number][] = [
  ["every hidden layer recurrent", { recurrent: "all" }, 1],
  ["the last layer recurrent", { recurrent: "last" }, 3],
  ["a spiking readout", { spikingReadout: true }, 13],
  ["recurrent layers and a recurrent spiking readout", { recurrent: "all", spikingReadout: "recurrent" }, 16],
  // Recurrence with the neuron options beyond the paper (bias, IF, to_reset, CuBa) and a spiking
  // readout with its own CuBa synapses, bias and reset.
  ["recurrent CuBa layers with biases", { recurrent: "all", cuba: true, bias: true }, 21],
  ["recurrent IF layers, reset to_reset", { recurrent: "all", noLeak: true, toReset: true }, 22],
  ["recurrent CuBa + to_reset + bias, CuBa readout with a bias", { recurrent: "some", cuba: true, toReset: true, bias: true, readoutCuba: true, readoutBias: true }, 23],
  // (seed 36: the readout's input is scaled by 1 − α, so the scale on R's terms is checked too)
  ["a recurrent spiking readout with CuBa, bias and to_reset", { recurrent: "last", spikingReadout: "recurrent", readoutCuba: true, readoutBias: true, readoutToReset: true }, 36],
  ["a spiking IF readout with a bias after recurrent CuBa layers", { recurrent: "all", cuba: true, spikingReadout: true, readoutNoLeak: true, readoutBias: true }, 25],
  // subtract_same_step (snnTorch's reset_delay=False): a constant like the other resets, so its
  // tangent is subtract's, V̇ carried through the spike; recurrent CuBa layers and a spiking readout.
  ["recurrent layers and a recurrent spiking readout, reset subtract_same_step", { recurrent: "all", spikingReadout: "recurrent", cuba: true, sameStep: true, readoutSameStep: true }, 26],
];

describe("reverse-mode BPTT equals forward-mode tangents", () => {
  for (const [name, opts, seed] of TANGENT_CASES) {
    for (const mode of ["full", "truncated"] as const) {
      it(`${name} (random spec ${seed}), ${mode} surrogate`, () => {
        const net = networkOf(randomSpec(seed, opts));
        expect(optionsMissing(net, opts ?? {})).toEqual([]);
        const batch = randomBatch(net.steps, net.input.size, net.training.batch, net.classes, 0.2, mixSeed(seed, 5));
        const weights = calibratedWeights(net, batch, mixSeed(seed, 6));
        const rng = new Rng(mixSeed(seed, 7));
        const dir = weights.map((w) => Float64Array.from(w, () => rng.uniform(-1, 1)));
        const f = referenceForward(net, weights, batch);
        const grads = referenceBackward(net, weights, batch, f, mode).gradW;
        let dot = 0;
        grads.forEach((g, k) => g.forEach((x, n) => (dot += x * dir[k][n])));
        const dL = directional(net, weights, dir, batch, mode);
        expect(Math.abs(dot)).toBeGreaterThan(1e-8);
        expect(Math.abs(dL - dot)).toBeLessThan(1e-9 * Math.max(1, Math.abs(dot)));
        // Each recurrent tensor alone, too (its gradient is not hidden behind the others).
        weightTensors(net).forEach((t, k) => {
          if (t.role !== "recurrent") return;
          const only = dir.map((d, q) => (q === k ? d : new Float64Array(d.length)));
          let dotR = 0;
          grads[k].forEach((x, n) => (dotR += x * only[k][n]));
          expect(Math.abs(directional(net, weights, only, batch, mode) - dotR)).toBeLessThan(1e-9 * Math.max(1, Math.abs(dotR)));
        });
      });
    }
  }
});

/** The options a case asks for that its network lacks (a case must exercise what it names). */
function optionsMissing(net: Network, o: NonNullable<Parameters<typeof randomSpec>[1]>): string[] {
  const spiking = net.layers.filter(isSpiking);
  const ro = net.layers[net.layers.length - 1];
  const has: Record<string, boolean> = {
    recurrent: weightTensors(net).some((t) => t.role === "recurrent"),
    spikingReadout: ro.kind === "readout" && ro.neuron !== undefined,
    bias: spiking.some((l) => l.kind !== "readout" && l.weights.some((t) => t.role === "bias")),
    cuba: spiking.some((l) => l.kind !== "readout" && l.neuron.model === "cuba-lif"),
    toReset: spiking.some((l) => l.kind !== "readout" && l.neuron.reset === "to_reset"),
    noLeak: spiking.some((l) => l.kind !== "readout" && !l.neuron.leak),
    readoutBias: ro.kind === "readout" && ro.weights.some((t) => t.role === "bias"),
    readoutCuba: ro.kind === "readout" && (ro.synapse !== undefined || ro.neuron?.model === "cuba-lif"),
    readoutToReset: ro.kind === "readout" && ro.neuron?.reset === "to_reset",
    readoutNoLeak: ro.kind === "readout" && ro.neuron?.leak === false,
    sameStep: spiking.some((l) => l.kind !== "readout" && l.neuron.reset === "subtract_same_step"),
    readoutSameStep: ro.kind === "readout" && ro.neuron?.reset === "subtract_same_step",
  };
  return Object.entries(o).filter(([k, v]) => v && !has[k]).map(([k]) => k);
}
