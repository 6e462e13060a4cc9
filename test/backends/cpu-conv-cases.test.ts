// The conv specs the GPU check compares CUDA with (test/support/conv-cases.ts) that the CPU
// numerics test does not already hold: the CPU backend matches the float64 reference on them with
// the seeds the GPU check uses, so a failure there points at the CUDA kernels.

import { describe, expect, it } from "vitest";
import { GPU_CHECK_CONV_SPECS } from "../support/conv-cases.ts";
import { buildModel } from "../support/build-model.ts";
import { checkNumerics } from "./numerics-check.ts";
import { expectMatchesReference } from "./expect-numerics.ts";

describe("CPU backend matches the float64 reference on the GPU check's larger conv specs", () => {
  // Seeds 1–11 are the CPU numerics test's conv specs; the GPU check passes seed k + 1 for case k.
  GPU_CHECK_CONV_SPECS.forEach(([name, make, vsReference], k) => {
    if (k < 11 || !vsReference) return;
    it(name, async () => {
      const { net, addon } = await buildModel(make());
      const r = checkNumerics(net, addon, k + 1);
      expectMatchesReference(r);
      expect(r.activeFraction).toBeGreaterThan(0);
    });
  });
});
