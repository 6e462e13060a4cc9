// The emitted CUDA of tiny.json with time-parallel input currents (`--time-parallel`), as review
// material: per LIF stage a currents kernel (one block per (sample, step) pair) and the scan over
// its currents in place of the step-by-step forward, their launches, and one currents buffer each.
// The default build is unchanged by them (tiny's snapshots in emit.test.ts).

import { describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { loadNetwork, planOptionsFor } from "../../compiler/pipeline.ts";

describe("tiny.json with time-parallel currents on the CUDA backend", () => {
  const plan = buildPlan(loadNetwork("models/tiny.json"), undefined, planOptionsFor("cuda", { timeParallel: true }));
  const files = emitBackend(plan, "cuda", "models/tiny.json");
  it.each(["kernels.cu", "network.h"])("%s matches its snapshot", async (path) => {
    await expect(files.find((f) => f.path === path)!.content).toMatchFileSnapshot(`./__snapshots__/tiny-time-parallel-cuda/${path}`);
  });
});
