// The assertion half of numerics-check.ts, kept apart so the GPU check can bundle the checks
// without vitest.

import { expect } from "vitest";
import type { NumericsReport } from "./numerics-check.ts";

/** The tolerances every backend meets against the reference (docs/design.md §5, issues 3 and 4). */
export function expectMatchesReference(r: NumericsReport): void {
  expect(r.spikeMismatches).toBe(0);
  expect(r.maxMembraneError).toBeLessThan(1e-5);
  expect(r.maxLogitError).toBeLessThan(1e-5);
  expect(r.lossError).toBeLessThan(1e-5);
  expect(r.sparseGradError).toBeLessThan(1e-4);
  expect(r.denseGradError).toBeLessThan(1e-4);
}
