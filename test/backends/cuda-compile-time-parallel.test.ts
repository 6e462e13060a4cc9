// The time-parallel CUDA forward (`--time-parallel`: templates/cuda/kernels/forward-lif-currents.hbs,
// then the scan of forward-lif-time-parallel.hbs) renders and compiles for sm_90 with the build's
// flags and no register spills, on the shipped dense models and on random dense specs with every
// neuron option, a spiking readout and sum-pools below (test/support/time-parallel-cases.ts). Each
// time-parallel stage gets its currents kernel, and each step-by-step one keeps its own kernel.
// No GPU here: whether the kernels agree with the CPU backend is the GPU check's (scripts/gpu, `+tp`).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { buildPlan, lifStages } from "../../compiler/plan/build-plan.ts";
import { loadNetwork, planOptionsFor } from "../../compiler/pipeline.ts";
import { resolveSpec } from "../../compiler/spec/defaults.ts";
import { compileCubin, hasNvcc } from "../support/nvcc-cubin.ts";
import { TIME_PARALLEL_MODELS, TIME_PARALLEL_SPECS } from "../support/time-parallel-cases.ts";

const root = mkdtempSync(join(tmpdir(), "snnc-nvcc-tp-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function checkTimeParallel(name: string, net: Network): void {
  const plan = buildPlan(net, undefined, planOptionsFor("cuda", { timeParallel: true }));
  const stages = lifStages(plan);
  const parallel = stages.filter((s) => s.forward === "time-parallel").map((s) => s.id);
  expect(parallel.length, `${name}: no stage is time-parallel`).toBeGreaterThan(0);
  const files = emitBackend(plan, "cuda", `${name}.json`);
  const source = files.find((f) => f.path === "kernels.cu")!.content;
  // The scan of a time-parallel stage reads its currents; a step-by-step stage sums its inputs itself.
  for (const s of stages) {
    const scan = new RegExp(`forward_lif_${s.id}\\(Buffers d, bool record_v, bool record_active\\) \\{[^]*?\\n\\}`).exec(source)?.[0] ?? "";
    expect(scan.includes(`d.currents_${s.id}`), `${name}: forward_lif_${s.id}`).toBe(s.forward === "time-parallel");
  }
  const { kernels, log } = compileCubin(join(root, name), files);
  const entries = kernels.map((k) => k.name);
  for (const id of parallel) {
    expect(entries.some((k) => k.includes(`forward_currents_${id}E`)), `forward_currents_${id} compiled`).toBe(true);
    expect(entries.some((k) => k.includes(`forward_lif_${id}E`)), `forward_lif_${id} compiled`).toBe(true);
  }
  expect(entries.filter((k) => k.includes("forward_currents_")).length).toBe(parallel.length);
  expect(kernels.filter((k) => k.spillStores > 0 || k.spillLoads > 0).map((k) => k.name), log).toEqual([]);
}

describe.skipIf(!hasNvcc)("the time-parallel CUDA forward compiles for sm_90 without spills", () => {
  for (const model of TIME_PARALLEL_MODELS) it(model, () => checkTimeParallel(model, loadNetwork(`models/${model}.json`)));
  for (const c of TIME_PARALLEL_SPECS) it(`${c.name}: ${c.what}`, () => checkTimeParallel(c.name, lowerSpec(resolveSpec(c.spec()))));
});
