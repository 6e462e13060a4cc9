// Per-neuron τ tensors through the life of a model (CPU backend; docs/design.md §2.1): the IR
// holds α per neuron as a1 (role alpha) and as1 (alpha_syn) after the layer's other tensors; the
// init draws them in [α(Δt), α(1000·Δt)]; Adam trains the learnable ones without AdamW's decay and
// clamps them to that range, and never touches a fixed one; a checkpoint holds them with their
// Adam moments, and a resumed run continues bit for bit.

import { afterAll, describe, expect, it } from "vitest";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { decayStats } from "../../runtime/model/decay-stats.ts";
import { buildModel } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";
import { TAU_SPECS } from "../support/tau-specs.ts";
import { tempDir } from "../train/support.ts";
import { expectResumesBitForBit, untouchedKeepTheirValue } from "./trained-per-neuron.ts";

const tmp = tempDir("tau-checkpoint");
afterAll(() => tmp.remove());

describe("per-neuron τ tensors", () => {
  it("are drawn in range, trained without decay and clamped, or held fixed; saved and resumed bit for bit", async () => {
    const c = TAU_SPECS.find((x) => x.name.includes("fixed τ,"))!;
    const { net, addon } = await buildModel(c.spec());
    const tensors = net.layers.flatMap((l) => ("weights" in l ? l.weights : []));
    const decays = tensors.filter((w) => w.role === "alpha" || w.role === "alpha_syn");
    const fixed = decays.filter((w) => w.trainable === false);
    const learned = decays.filter((w) => w.trainable !== false);
    expect(fixed.length).toBeGreaterThan(0);
    expect(learned.length).toBeGreaterThan(0);

    const C = net.classes;
    const model = new SnnModel(net, addon, { batch: net.training.batch, seed: 3 });
    model.weightDecay = 0.5; // AdamW: every weight shrinks by 1 − lr·λ per step, an α must not
    const before = new Map(decays.map((w) => [w.name, Float32Array.from(model.getWeights(w.name))]));
    for (const w of decays) {
      const { alphaMin, alphaMax } = w.init.tau!;
      const a = before.get(w.name)!;
      expect(Math.min(...a)).toBeGreaterThanOrEqual(alphaMin);
      expect(Math.max(...a)).toBeLessThanOrEqual(alphaMax);
      expect(new Set(a).size, `${w.name}: drawn per neuron`).toBeGreaterThan(1);
      const s = decayStats(a, net.dtMs);
      expect(s.min).toBeLessThanOrEqual(s.mean);
      expect(s.mean).toBeLessThanOrEqual(s.max);
    }
    for (let k = 0; k < 4; k++) model.trainStep(randomBatch(net.steps, net.input.size, net.training.batch, C, 0.3, 20 + k), 0.05);
    for (const w of fixed) expect(model.getWeights(w.name), `${w.name} is fixed`).toEqual(before.get(w.name));
    let untouched = 0;
    for (const w of learned) {
      const a = model.getWeights(w.name);
      const { alphaMin, alphaMax } = w.init.tau!;
      expect(a, `${w.name} trains`).not.toEqual(before.get(w.name));
      expect(Math.min(...a)).toBeGreaterThanOrEqual(alphaMin);
      expect(Math.max(...a)).toBeLessThanOrEqual(alphaMax);
      // A neuron that never got a gradient keeps its α exactly: no decay toward 0.
      untouched += untouchedKeepTheirValue(model, w, before.get(w.name)!);
    }
    expect(untouched, "some neuron never active, so the no-decay rule is observed").toBeGreaterThan(0);

    expectResumesBitForBit(net, addon, model, decays, tmp.path, "tau");
    model.dispose();
  });
});
