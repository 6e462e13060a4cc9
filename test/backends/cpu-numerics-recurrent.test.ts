// The CPU backend against the float64 reference on recurrent dense layers (and, below, spiking
// readouts): random specs drawn by randomSpec's options, each built into its own addon. Spikes
// identical, sparse gradients == truncated-surrogate BPTT, dense == full BPTT (1e-4 relative).

import { describe, expect, it } from "vitest";
import { recurrentWeight, weightTensors } from "../../compiler/ir/layers.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { buildModel } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";
import { randomSpec } from "../support/random-spec.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics, gradientsAtCapacity } from "./numerics-check.ts";

const SPECS: [string, () => NetworkSpec, number][] = [
  ["every hidden layer recurrent (seed 1)", () => randomSpec(1, { recurrent: "all" }), 1],
  ["first layer recurrent (seed 2)", () => randomSpec(2, { recurrent: "first" }), 2],
  ["last layer recurrent (seed 3)", () => randomSpec(3, { recurrent: "last" }), 3],
  ["some layers recurrent (seed 4)", () => randomSpec(4, { recurrent: "some" }), 4],
  ["every hidden layer recurrent (seed 5)", () => randomSpec(5, { recurrent: "all" }), 5],
  ["first layer recurrent (seed 6)", () => randomSpec(6, { recurrent: "first" }), 6],
  ["last layer recurrent (seed 7)", () => randomSpec(7, { recurrent: "last" }), 7],
  ["spiking readout (seed 13)", () => randomSpec(13, { spikingReadout: true }), 13],
  ["spiking readout after a recurrent layer (seed 9)", () => randomSpec(9, { recurrent: "last", spikingReadout: true }), 9],
  ["recurrent spiking readout (seed 10)", () => randomSpec(10, { spikingReadout: "recurrent" }), 10],
  ["recurrent spiking readout after three recurrent layers (seed 16)", () => randomSpec(16, { recurrent: "all", spikingReadout: "recurrent" }), 16],
];

describe("CPU backend matches the float64 reference on recurrent layers", () => {
  for (const [name, spec, seed] of SPECS) {
    it(name, async () => {
      const { net, addon } = await buildModel(spec());
      // Every spec exercises what it is named for: a recurrent layer or a spiking readout.
      expect(net.layers.some((l) => (l.kind === "dense" && recurrentWeight(l)) || (l.kind === "readout" && l.neuron))).toBe(true);
      const r = checkNumerics(net, addon, seed);
      expectMatchesReference(r);
      // Every spiking layer, a spiking readout included, has active neuron-times: gradient flows through it.
      expect(r.activeFractions.length).toBe(net.layers.filter((l) => l.kind === "dense" || (l.kind === "readout" && l.neuron)).length);
      for (const a of r.activeFractions) expect(a).toBeGreaterThan(0);
    });
  }
});

describe("CPU backend, recurrent active sets", () => {
  it("an active set that overflows grows and gives the same gradients (R included)", async () => {
    const { net, addon } = await buildModel(randomSpec(1, { recurrent: "all" }));
    const batch = randomBatch(net.steps, net.input.size, net.training.batch, net.classes, 0.4, 9);
    const small = gradientsAtCapacity(net, addon, batch, 0.001);
    const large = gradientsAtCapacity(net, addon, batch, 1);
    expect(small.stats.regrows).toBeGreaterThan(0);
    expect(large.stats.regrows).toBe(0);
    small.grads.forEach((g, k) => expect(Array.from(g)).toEqual(Array.from(large.grads[k])));
    // r1's gradient is among them and not all zero.
    const r = net.layers[0].kind === "dense" ? recurrentWeight(net.layers[0])!.name : "";
    const k = weightTensors(net).findIndex((w) => w.name === r);
    expect(small.grads[k].some((x) => x !== 0)).toBe(true);
  });
});
