// Running the emulated CUDA build in tests: the CUDA kernels compiled by g++ against HIP-CPU
// (compiler/backends/emulated-cuda), compared with the CPU backend as the GPU check compares them
// on a GPU, and with the float64 reference where the case has a tie-free input.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { registerShared } from "../../compiler/backends/emulated-cuda/racecheck.ts";
import { TEMPLATE_ROOT } from "../../compiler/backends/render.ts";
import { emulationSupport } from "../../compiler/build/hip-cpu.ts";
import { stepLaunchCheck, type StepLaunchResult } from "../../scripts/gpu/step-launch-check.ts";
import type { EmulatedCase } from "../support/emulated-cuda-cases.ts";
import { buildModel } from "../support/build-model.ts";
import { cudaVsCpu, vsCpuDensity, type CudaVsCpu } from "./cuda-vs-cpu.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

export const EMULATION = emulationSupport();

/** A describe block that runs only where the emulator can be built. Elsewhere one line says what is
 *  missing and how to get it, and the block is skipped; on CI, which installs both, it fails instead. */
export function describeEmulated(title: string, body: () => void): void {
  if (EMULATION.ok) describe(title, body);
  else if (process.env.CI) describe(title, () => it("has HIP-CPU and TBB (CI installs both)", () => expect.fail(EMULATION.missing)));
  else {
    console.log(`skipped: ${title}: ${EMULATION.missing}`);
    describe.skip(`${title} (skipped: ${EMULATION.missing})`, body);
  }
}

/** Builds test/backends/fixtures/<name>.cu into a program in `dir` as the emulated addons are built
 *  (g++, -O1, the emulated header, HIP-CPU, TBB); its path. `racecheck`: as the racecheck variant
 *  builds kernels.cu (its __shared__ variables guarded and registered, -fsanitize=thread, snnc's
 *  hooks). */
export function buildEmulatedFixture(name: string, dir: string, opts: { racecheck?: boolean } = {}): string {
  if (!EMULATION.ok) throw new Error(EMULATION.missing);
  let source = join(import.meta.dirname, "fixtures", `${name}.cu`);
  const exe = join(dir, name);
  const header = join(TEMPLATE_ROOT, "emulated-cuda");
  const flags = ["-std=c++17", "-O1", "-ffp-contract=off", "-I", header, "-isystem", join(EMULATION.hipCpu, "include")];
  const gxx = (args: string[]) => {
    const r = spawnSync("g++", args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`g++ failed on ${source}:\n${r.stderr}`);
  };
  if (!opts.racecheck) {
    gxx([...flags, "-x", "c++", source, "-o", exe, "-ltbb", "-lpthread"]);
    return exe;
  }
  const registered = join(dir, `${name}.cu`);
  writeFileSync(registered, registerShared(readFileSync(source, "utf8")));
  source = registered;
  const checked = [...flags, "-DSNNC_RACECHECK"];
  gxx([...checked, "-fsanitize=thread", "--param=tsan-instrument-func-entry-exit=0", "-x", "c++", "-c", source, "-o", `${exe}.o`]);
  gxx([...checked, "-c", join(header, "racecheck.cpp"), "-o", `${exe}-racecheck.o`]);
  gxx([`${exe}.o`, `${exe}-racecheck.o`, "-o", exe, "-ltbb", "-lpthread"]);
  return exe;
}

async function buildPair(c: EmulatedCase, variant: { timeParallel?: boolean; overlapUpload?: boolean; stepGraph?: boolean }) {
  const spec = c.spec();
  const emulated = await buildModel(spec, "cuda", { emulated: true, ...variant });
  const { addon: cpu } = await buildModel(spec, "cpu");
  expect(emulated.addon.info.backend).toBe("cuda");
  return { net: emulated.net, cuda: emulated.addon, cpu };
}

/** The GPU check's `numerics` on one case: CUDA against the CPU backend (spikes identical, membranes
 *  within 1e-5, gradients within 1e-4 relative), and against the float64 reference. */
export async function checkEmulatedCase(c: EmulatedCase): Promise<void> {
  const { net, cuda, cpu } = await buildPair(c, { timeParallel: c.timeParallel });
  const r = cudaVsCpu(net, cuda, cpu, c.seed, c.density ?? vsCpuDensity(net, c.shipped === true), c.batch ?? 4, c.dense ?? true);
  expectMatchesCpu(r);
  if (c.vsReference) expectMatchesReference(checkNumerics(net, cuda, c.seed, c.density));
}

/** The GPU check's step-launch check: 12 consecutive training steps on an --overlap-upload build,
 *  each handed the next batch, against the CPU backend step by step. With `graph` (the GPU check's
 *  `+graph` cases) the build also has --step-graph: each step is a replay of a graph captured for
 *  its batch size and buffers, Adam's step size set in its nodes before each replay. */
export async function checkEmulatedSteps(c: EmulatedCase, graph = false): Promise<void> {
  const { net, cuda, cpu } = await buildPair(c, { overlapUpload: true, stepGraph: graph });
  expect(cuda.info.overlapUpload).toBe(true);
  expectStepsMatchCpu(stepLaunchCheck(net, cuda, cpu, c.seed, vsCpuDensity(net, c.shipped === true), graph), graph);
}

/** cudaVsCpu's result within the GPU check's tolerances (spikes identical, membranes and logits
 *  within 1e-5, gradients within 1e-4 relative). */
export function expectMatchesCpu(r: CudaVsCpu): void {
  expect(r.spikes, "the batch made spikes (a silent network would compare nothing)").toBeGreaterThan(0);
  expect(r.spikeMismatches, `spikes differing from the CPU backend, of ${r.spikes}`).toBe(0);
  expect(r.membrane).toBeLessThanOrEqual(1e-5);
  expect(r.logits).toBeLessThanOrEqual(1e-5);
  expect(r.sparseGrad).toBeLessThanOrEqual(1e-4);
  expect(r.denseGrad).toBeLessThanOrEqual(1e-4);
}

/** stepLaunchCheck's result within its tolerances; with `graph`, replays outnumbering captures. */
export function expectStepsMatchCpu(r: StepLaunchResult, graph: boolean): void {
  expect(r.spikes).toBeGreaterThan(0);
  expect(r.spikeMismatches).toBe(0);
  expect(r.regrows, "a tiny initial active set grew at least once").toBeGreaterThan(0);
  expect(r.lossError).toBeLessThanOrEqual(1e-4);
  expect(r.forwardLossError).toBeLessThanOrEqual(1e-4);
  expect(r.gradError).toBeLessThanOrEqual(1e-4);
  expect(r.adamError).toBeLessThanOrEqual(1e-5);
  if (graph) {
    // Captured anew when the batch size or the buffers changed (the smaller batch, a regrown
    // active set, the input sets swapping), replayed otherwise: more steps than captures.
    expect(r.captures, "graphs captured").not.toBeNull();
    expect(r.captures!).toBeGreaterThanOrEqual(2);
    expect(r.captures!).toBeLessThan(r.steps);
  } else expect(r.captures).toBeNull();
  expect(r.pass).toBe(true);
}
