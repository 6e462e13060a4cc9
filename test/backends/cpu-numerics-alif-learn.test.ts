// The CPU backend against the float64 reference with trained ALIF adaptation (docs/design.md
// §2.1): ρ and β_a per neuron. The sparse backward's ∂L/∂ρ and ∂L/∂β_a (the forward's traces
// −β_a·P_a and −a times the walk's corrected ∂L/∂S) must equal truncated-surrogate BPTT and the
// dense ones full BPTT, like every other gradient (1e-4 relative); spikes identical.

import { describe, expect, it } from "vitest";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { buildModel } from "../support/build-model.ts";
import { ALIF_LEARN_SPECS } from "../support/alif-learn-specs.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

describe("CPU backend matches the float64 reference with trained ALIF adaptation", () => {
  for (const { name, spec, seed } of ALIF_LEARN_SPECS) {
    it(name, async () => {
      const { net, addon } = await buildModel(spec());
      const roles = weightTensors(net).map((w) => w.role);
      expect(roles).toContain("rho");
      expect(roles).toContain("beta_adapt");
      const r = checkNumerics(net, addon, seed);
      expectMatchesReference(r);
      expect(r.activeFraction).toBeGreaterThan(0);
    });
  }
});
