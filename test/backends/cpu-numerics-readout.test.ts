// The CPU backend's non-spiking readout against the float64 reference at class counts the shipped
// and random specs leave out (they have 2–20 classes). The readout kernels hold the classes in
// vectors of 16 and read and write each row of W, ∇W and the bias 16 lanes at a time with masked
// loads and stores for the last, partial vector: 16 classes fill one vector exactly, 17 leave one
// lane in a second, 33 need three (and take lane_sum's 16-way sums for ∂L/∂S below). Each case has
// a bias, and some CuBa synapses, so every per-class loop of the forward and both backwards runs.

import { describe, expect, it } from "vitest";
import type { NetworkSpec, ReadoutLayerSpec } from "../../compiler/spec/types.ts";
import { buildModel } from "../support/build-model.ts";
import { randomSpec } from "../support/random-spec.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

function readoutSpec(seed: number, classes: number, logits: "max" | "sum", cuba: boolean): NetworkSpec {
  const s = randomSpec(seed, { readoutBias: true, readoutCuba: cuba });
  s.name = `readout-${classes}-${logits}${cuba ? "-cuba" : ""}`;
  const readout = s.layers[s.layers.length - 1] as ReadoutLayerSpec;
  readout.size = classes;
  readout.logits = logits;
  return s;
}

const CASES: [string, () => NetworkSpec][] = [
  ["16 classes (one full vector), max logits, CuBa", () => readoutSpec(401, 16, "max", true)],
  ["17 classes (one lane in a second vector), max logits", () => readoutSpec(405, 17, "max", false)],
  ["33 classes (three vectors), sum logits, CuBa", () => readoutSpec(403, 33, "sum", true)],
];

describe("CPU readout matches the float64 reference at 16, 17 and 33 classes", () => {
  for (const [name, make] of CASES)
    it(name, async () => {
      const spec = make();
      const { net, addon } = await buildModel(spec);
      expect(net.classes).toBe((spec.layers[spec.layers.length - 1] as ReadoutLayerSpec).size);
      const r = checkNumerics(net, addon, 11);
      expectMatchesReference(r);
      // The layer below the readout has active entries, so ∂L/∂S below is exercised.
      expect(r.activeFractions[r.activeFractions.length - 1]).toBeGreaterThan(0);
    });
});
