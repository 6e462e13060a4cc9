// The CPU backend against the float64 reference with per-neuron τ (docs/design.md §2.1): α and
// α_syn per neuron, fixed or trained. The sparse backward's ∂L/∂α and ∂L/∂α_syn (the forward's
// traces times the walk's injections) must equal truncated-surrogate BPTT and the dense ones full
// BPTT, like every other gradient (1e-4 relative); spikes identical.

import { describe, expect, it } from "vitest";
import { spikingLayers, weightTensors } from "../../compiler/ir/layers.ts";
import { buildModel } from "../support/build-model.ts";
import { TAU_SPECS } from "../support/tau-specs.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

describe("CPU backend matches the float64 reference with per-neuron τ", () => {
  for (const { name, spec, seed } of TAU_SPECS) {
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
