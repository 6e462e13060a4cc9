// Trained ALIF adaptation through the life of a model (CPU backend; docs/design.md §2.1): the IR
// holds ρ and β_a per neuron as ra<k> (role rho) and ba<k> (beta_adapt) after the layer's other
// tensors; the init starts them at the layer's ρ = exp(−Δt/τ_adapt) and β_a; Adam trains them
// without AdamW's decay, ρ clamped to [ρ(Δt), ρ(1000·Δt)] and β_a to ≥ 0; a checkpoint holds them
// with their Adam moments, and a resumed run continues bit for bit.

import { afterAll, describe, expect, it } from "vitest";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { spikingLayers } from "../../compiler/ir/layers.ts";
import { buildModel } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";
import { ALIF_LEARN_SPECS } from "../support/alif-learn-specs.ts";
import { tempDir } from "../train/support.ts";
import { expectResumesBitForBit, untouchedKeepTheirValue } from "./trained-per-neuron.ts";

const tmp = tempDir("alif-learn-checkpoint");
afterAll(() => tmp.remove());

describe("trained ALIF adaptation tensors", () => {
  it("start at the layer's ρ and β_a, train without decay within their ranges, save and resume bit for bit", async () => {
    const c = ALIF_LEARN_SPECS[1];
    const { net, addon } = await buildModel(c.spec());
    const layers = spikingLayers(net).filter((l) => l.weights.some((w) => w.role === "rho"));
    expect(layers.length).toBeGreaterThan(0);
    const tensors = layers.flatMap((l) => l.weights.filter((w) => w.role === "rho" || w.role === "beta_adapt"));

    const C = net.classes;
    const model = new SnnModel(net, addon, { batch: net.training.batch, seed: 3 });
    model.weightDecay = 0.5; // AdamW: every weight shrinks by 1 − lr·λ per step, ρ and β_a must not
    const before = new Map(tensors.map((w) => [w.name, Float32Array.from(model.getWeights(w.name))]));
    for (const l of layers) {
      const n = l.neuron;
      if (n.model !== "alif") throw new Error("a trained adaptation on a non-ALIF layer");
      const rho = before.get(l.weights.find((w) => w.role === "rho")!.name)!;
      const beta = before.get(l.weights.find((w) => w.role === "beta_adapt")!.name)!;
      expect(new Set(rho)).toEqual(new Set([Math.fround(Math.exp(-net.dtMs / n.tauAdaptMs))]));
      expect(new Set(beta)).toEqual(new Set([Math.fround(n.betaAdapt)]));
    }
    for (let k = 0; k < 4; k++) model.trainStep(randomBatch(net.steps, net.input.size, net.training.batch, C, 0.3, 20 + k), 0.05);
    let untouched = 0;
    for (const w of tensors) {
      const a = model.getWeights(w.name);
      expect(a, `${w.name} trains`).not.toEqual(before.get(w.name));
      if (w.role === "rho") {
        expect(Math.min(...a)).toBeGreaterThanOrEqual(w.init.tau!.alphaMin);
        expect(Math.max(...a)).toBeLessThanOrEqual(w.init.tau!.alphaMax);
      } else expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
      // A neuron that never got a gradient keeps its value exactly: no decay toward 0.
      untouched += untouchedKeepTheirValue(model, w, before.get(w.name)!);
    }
    expect(untouched, "some neuron never active, so the no-decay rule is observed").toBeGreaterThan(0);

    expectResumesBitForBit(net, addon, model, tensors, tmp.path, "alif");
    model.dispose();
  });
});
