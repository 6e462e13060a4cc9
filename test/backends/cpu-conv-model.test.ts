// The shipped conv model (models/fmnist-conv.json, supplement E.3) on the CPU backend: it builds,
// one training step at batch 8 runs with a finite loss and moves the weights, sparse and dense.

import { describe, expect, it } from "vitest";
import { chooseBackend } from "../../runtime/model/open-model.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { buildModel, networkOf } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";
import { gradientsAtCapacity } from "./numerics-check.ts";

describe("models/fmnist-conv.json on the CPU backend", () => {
  for (const backward of ["sparse", "dense"] as const) {
    it(`builds and takes one ${backward} training step at batch 8`, async () => {
      const { net, addon } = await buildModel("models/fmnist-conv.json");
      expect(net.layers.map((l) => l.kind)).toEqual(["conv", "maxpool", "flatten", "readout"]);
      // About one spike per pixel over the 100 steps, like the latency code.
      const batch = randomBatch(net.steps, net.input.size, 8, net.classes, 0.01, 3);
      const model = new SnnModel(net, addon, { batch: 8, backward });
      try {
        const before = model.weightNames.map((n) => model.getWeights(n));
        const stats = model.trainStep(batch);
        expect(Number.isFinite(stats.loss)).toBe(true);
        expect(stats.loss).toBeGreaterThan(0);
        expect(stats.layers.map((l) => l.id)).toEqual(["l1"]);
        expect(stats.layers[0].spikes).toBeGreaterThan(0);
        if (backward === "sparse") expect(stats.layers[0].active).toBeGreaterThan(0);
        const grads = model.weightNames.map((n) => model.getGradients(n));
        for (const g of grads) {
          expect(g.every((x) => Number.isFinite(x))).toBe(true);
          expect(g.some((x) => x !== 0)).toBe(true);
        }
        model.weightNames.forEach((n, k) => expect(Array.from(model.getWeights(n))).not.toEqual(Array.from(before[k])));
        // The spikes of the conv layer decode to [batch × T × 64·28·28].
        expect(model.spikes("l1").length).toBe(8 * net.steps * 50176);
      } finally {
        model.dispose();
      }
    }, 300_000);
  }

  it("an overflowing conv active set grows (with the pool's routed entries) and gives the same gradients", async () => {
    const { net, addon } = await buildModel("models/fmnist-conv.json");
    const batch = randomBatch(net.steps, net.input.size, 4, net.classes, 0.01, 21);
    const small = gradientsAtCapacity(net, addon, batch, 1e-5);
    const large = gradientsAtCapacity(net, addon, batch, 0.05);
    expect(small.stats.regrows).toBeGreaterThan(0);
    expect(large.stats.regrows).toBe(0);
    expect(small.stats.layers[0].active).toBeGreaterThan(100);
    small.grads.forEach((g, k) => {
      expect(g.some((x) => x !== 0)).toBe(true);
      expect(Array.from(g)).toEqual(Array.from(large.grads[k]));
    });
  }, 300_000);

  it("--backend auto takes the CPU for a conv network, whatever the machine has", () => {
    const net = networkOf("models/fmnist-conv.json");
    expect(chooseBackend("auto", net)).toBe("cpu");
    expect(chooseBackend("cuda", net)).toBe("cuda");
    expect(chooseBackend("cpu", networkOf("models/tiny.json"))).toBe("cpu");
  });
});
