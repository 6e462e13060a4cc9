// The CPU backend against the float64 reference: tiny.json and 20 random specs (depth 1–3, random
// sizes, T, τ, V_th, B_th, batch), each built into its own addon. Inputs are chosen so no membrane
// sits within 1e-4 of the threshold or the band edges, where float32 and float64 could disagree.

import { describe, expect, it } from "vitest";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { referenceAdam } from "../reference/index.ts";
import { buildModel } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";
import { randomConvSpec, randomSpec } from "../support/random-spec.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics, gradientsAtCapacity, relError } from "./numerics-check.ts";

const SPECS: [string, () => Parameters<typeof buildModel>[0], number][] = [
  ["tiny.json", () => "models/tiny.json", 11],
  ...Array.from({ length: 20 }, (_, k) => [`random spec ${k + 1}`, () => randomSpec(k + 1), k + 1] as [string, () => ReturnType<typeof randomSpec>, number]),
];

describe("CPU backend matches the float64 reference", () => {
  for (const [name, spec, seed] of SPECS) {
    it(name, async () => {
      const { net, addon } = await buildModel(spec());
      const r = checkNumerics(net, addon, seed);
      expectMatchesReference(r);
    });
  }
});

// Conv networks: conv LIF → (max-pool 2) → flatten → readout on random [C, H, W] inputs, plus the
// variants with a dense layer after the flatten and with a second conv reading the pooled spikes.
const CONV_SPECS: [string, () => ReturnType<typeof randomConvSpec>, number][] = [
  ...Array.from({ length: 8 }, (_, k) => [`random conv spec ${k + 1}`, () => randomConvSpec(k + 1, { pool: k % 2 === 0 }), k + 1] as [string, () => ReturnType<typeof randomConvSpec>, number]),
  ["random conv spec 9, dense after the flatten", () => randomConvSpec(9, { pool: true, dense: true }), 9],
  ["random conv spec 10, conv → pool → conv", () => randomConvSpec(10, { pool: true, secondConv: true }), 10],
  ["random conv spec 11, conv → conv, no pool", () => randomConvSpec(11, { pool: false, secondConv: true }), 11],
];

describe("CPU backend matches the float64 reference on conv networks", () => {
  for (const [name, spec, seed] of CONV_SPECS) {
    it(name, async () => {
      const s = spec();
      const { net, addon } = await buildModel(s);
      expect(net.layers.some((l) => l.kind === "conv")).toBe(true);
      const r = checkNumerics(net, addon, seed);
      expectMatchesReference(r);
      expect(r.activeFraction).toBeGreaterThan(0);
    });
  }

  it("the spec list covers pools and both logits kinds", () => {
    const specs = CONV_SPECS.map(([, s]) => s());
    expect(specs.filter((s) => s.layers.some((l) => l.kind === "maxpool")).length).toBeGreaterThanOrEqual(4);
    expect(new Set(specs.map((s) => s.layers.flatMap((l) => (l.kind === "readout" ? [l.logits] : []))[0])).size).toBe(2);
  });
});

describe("CPU backend training step", () => {
  it("one Adam step matches the textbook update", async () => {
    const { net, addon } = await buildModel("models/tiny.json");
    const batch = randomBatch(net.steps, net.input.size, 4, net.classes, 0.3, 5);
    const model = new SnnModel(net, addon, { batch: 4 });
    const before = model.weightNames.map((n) => Float64Array.from(model.getWeights(n)));
    model.forward(batch);
    model.backwardPass();
    const grads = model.weightNames.map((n) => Float64Array.from(model.getGradients(n)));
    model.step();
    const { lr, beta1, beta2, eps } = net.training.adam;
    model.weightNames.forEach((n, k) => {
      const w = before[k].slice();
      referenceAdam(w, grads[k], new Float64Array(w.length), new Float64Array(w.length), 1, lr, beta1, beta2, eps);
      expect(relError(model.getWeights(n), w)).toBeLessThan(1e-6);
      const { m } = model.getAdamState(n);
      expect(relError(m, grads[k].map((g) => (1 - beta1) * g))).toBeLessThan(1e-6);
    });
    // At least one weight moved, or the comparison above proved nothing.
    expect(relError(model.getWeights("w1"), before[0])).toBeGreaterThan(0);
    model.dispose();
  });

  it("an active set that overflows grows and gives the same gradients", async () => {
    const { net, addon } = await buildModel("models/tiny.json");
    const batch = randomBatch(net.steps, net.input.size, 4, net.classes, 0.4, 9);
    const small = gradientsAtCapacity(net, addon, batch, 0.001);
    const large = gradientsAtCapacity(net, addon, batch, 1);
    expect(small.stats.regrows).toBeGreaterThan(0);
    expect(large.stats.regrows).toBe(0);
    expect(small.stats.layers[0].active).toBeGreaterThan(1);
    small.grads.forEach((g, k) => expect(Array.from(g)).toEqual(Array.from(large.grads[k])));
  });

  it("trainStep equals forward + backward + step", async () => {
    const { net, addon } = await buildModel("models/tiny.json");
    const batch = randomBatch(net.steps, net.input.size, 4, net.classes, 0.3, 13);
    const a = new SnnModel(net, addon, { batch: 4 });
    const b = new SnnModel(net, addon, { batch: 4 });
    const sa = a.trainStep(batch);
    const sb = b.forward(batch);
    b.backwardPass();
    b.step();
    expect(sa.loss).toBe(sb.loss);
    for (const n of a.weightNames) expect(Array.from(a.getWeights(n))).toEqual(Array.from(b.getWeights(n)));
    a.dispose();
    b.dispose();
  });

  it("rejects wrong shapes with one clear sentence", async () => {
    const { net, addon } = await buildModel("models/tiny.json");
    const model = new SnnModel(net, addon, { batch: 4 });
    expect(() => model.setWeights("w1", new Float32Array(3))).toThrow("weight tensor w1 takes a Float32Array of 96 values, got 3");
    expect(() => model.getWeights("w9")).toThrow('no weight tensor "w9" (this model has w1, w2, w3)');
    const wrongSteps = randomBatch(net.steps + 1, net.input.size, 2, net.classes, 0.3, 1);
    expect(() => model.forward(wrongSteps)).toThrow("batch has 17 steps × 12 inputs; tiny takes 16 steps × 12 inputs");
    const tooBig = randomBatch(net.steps, net.input.size, 5, net.classes, 0.3, 1);
    expect(() => model.forward(tooBig)).toThrow("batch of 5 samples exceeds this model's capacity of 4");
    const badLabel = randomBatch(net.steps, net.input.size, 2, net.classes, 0.3, 1);
    badLabel.labels[1] = 7;
    expect(() => model.forward(badLabel)).toThrow("label 7 of sample 1 is not a class in [0, 3)");
    expect(() => model.backwardPass()).toThrow("backward() needs a forward() first");
    model.dispose();
    expect(() => model.getWeights("w1")).toThrow("this model was disposed");
  });
});
