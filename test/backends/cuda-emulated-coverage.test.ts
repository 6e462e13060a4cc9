// The emulated CUDA cases (test/support/emulated-cuda-cases.ts) run every CUDA kernel template: each
// file under templates/cuda/kernels/ is the partial of some kernel of some case's plan. A template
// added without a case that runs it fails here. (No build: plans and render contexts only.)

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BACKENDS } from "../../compiler/backends/index.ts";
import { buildContext } from "../../compiler/backends/context/build-context.ts";
import { planOptionsFor } from "../../compiler/backends/plan-options.ts";
import { TEMPLATE_ROOT } from "../../compiler/backends/render.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { EMULATED_CHECKED, EMULATED_CONV, EMULATED_DENSE, EMULATED_SHIPPED, EMULATED_STEPS, type EmulatedCase } from "../support/emulated-cuda-cases.ts";
import { networkOf } from "../support/build-model.ts";

const ALL = [...EMULATED_SHIPPED, ...EMULATED_DENSE, ...EMULATED_CONV, ...EMULATED_STEPS];

/** The kernel templates one case's CUDA sources are rendered from. */
function kernelTemplates(c: EmulatedCase): string[] {
  const plan = buildPlan(networkOf(c.spec()), undefined, planOptionsFor("cuda", { timeParallel: c.timeParallel }));
  const context = BACKENDS.cuda.context(buildContext(plan, BACKENDS.cuda));
  return context.kernels.map((k) => k.partial);
}

describe("the emulated CUDA cases", () => {
  it("are at least 25, with distinct names", () => {
    expect(ALL.length).toBeGreaterThanOrEqual(25);
    expect(new Set(ALL.map((c) => c.name)).size).toBe(ALL.length);
  });

  const templates = () => readdirSync(join(TEMPLATE_ROOT, "cuda", "kernels")).map((f) => `cuda/kernels/${f.replace(/\.hbs$/, "")}`);

  it("run every template under templates/cuda/kernels/", () => {
    const run = new Set(ALL.flatMap(kernelTemplates));
    expect(templates().length).toBeGreaterThan(10);
    expect(templates().filter((t) => !run.has(t))).toEqual([]);
  });

  it("under AddressSanitizer and racecheck run every template too", () => {
    const run = new Set(EMULATED_CHECKED.flatMap(kernelTemplates));
    expect(templates().filter((t) => !run.has(t))).toEqual([]);
  });
});
