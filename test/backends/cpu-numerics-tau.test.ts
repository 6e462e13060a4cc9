// The CPU backend against the float64 reference with per-neuron τ (docs/design.md §2.1): α and
// α_syn per neuron, fixed or trained. The sparse backward's ∂L/∂α and ∂L/∂α_syn (the forward's
// traces times the walk's injections) must equal truncated-surrogate BPTT and the dense ones full
// BPTT, like every other gradient (1e-4 relative); spikes identical.

import { describe, expect, it } from "vitest";
import { spikingLayers, weightTensors } from "../../compiler/ir/layers.ts";
import { buildModel } from "../support/build-model.ts";
import { randomSpec } from "../support/random-spec.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

const CASES = [
  { name: "LIF and CuBa layers, trained τ and τ_syn, resets mixed", spec: () => randomSpec(211, { tau: "learn", tauSyn: "learn", cuba: true, toReset: true, sameStep: true }), seed: 211 },
];

describe("CPU backend matches the float64 reference with per-neuron τ", () => {
  for (const { name, spec, seed } of CASES) {
    it(name, async () => {
      const { net, addon } = await buildModel(spec());
      const roles = weightTensors(net).map((w) => w.role);
      expect(roles).toContain("alpha");
      const r = checkNumerics(net, addon, seed);
      expectMatchesReference(r);
      expect(r.activeFraction).toBeGreaterThan(0);
      expect(spikingLayers(net).length).toBeGreaterThan(0);
    });
  }
});
