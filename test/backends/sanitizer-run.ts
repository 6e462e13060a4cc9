// Running a checked build (AddressSanitizer: test/backends/asan.ts; racecheck: test/backends/
// racecheck.ts) in a child process (test/support/sanitizer-child.ts): a fault the checks find stops
// the child with a report on stderr, never the test's own process.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { withAddressSanitizer } from "../../compiler/backends/address-sanitizer.ts";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { emulateCudaFiles } from "../../compiler/backends/emulated-cuda/emulate.ts";
import { withRacecheck } from "../../compiler/backends/emulated-cuda/racecheck.ts";
import { planOptionsFor } from "../../compiler/backends/plan-options.ts";
import { buildAddon } from "../../compiler/build/build-addon.ts";
import { writeGenerated } from "../../compiler/build/write-generated.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import type { StepLaunchResult } from "../../scripts/gpu/step-launch-check.ts";
import type { CheckedCase } from "../support/emulated-cuda-cases.ts";
import type { SanitizerJob } from "../support/sanitizer-child.ts";
import { buildModelAddon, networkOf } from "../support/build-model.ts";
import { vsCpuDensity, type CudaVsCpu } from "./cuda-vs-cpu.ts";
import { expectMatchesCpu, expectStepsMatchCpu } from "./emulated-cuda.ts";

const ROOT = join(import.meta.dirname, "..", "..");

export interface SanitizerRun {
  status: number | null;
  stderr: string;
  /** The child's JSON line; null when it did not finish. */
  result: Record<string, number | boolean | null> | null;
}

/** Runs the child on built addons, with `env` added to this process's environment. */
export function runSanitizerChild(job: SanitizerJob, env: Record<string, string> = {}): SanitizerRun {
  const dir = mkdtempSync(join(tmpdir(), "snnc-sanitizer-"));
  try {
    const file = join(dir, "job.json");
    writeFileSync(file, JSON.stringify(job));
    const r = spawnSync(process.execPath, ["--import", "tsx", "test/support/sanitizer-child.ts", file], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 600_000,
      env: { ...process.env, ...env },
    });
    const last = r.stdout.trim().split("\n").at(-1) ?? "";
    return { status: r.status, stderr: r.stderr, result: r.status === 0 && last.startsWith("{") ? JSON.parse(last) : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A run the checks let finish: no report (`report` matches its first line), exit status 0. */
export function finished(run: SanitizerRun, report: RegExp): Record<string, number | boolean | null> {
  expect(run.stderr, "the checker's report").not.toMatch(report);
  expect(run.status, run.stderr).toBe(0);
  return run.result!;
}

/** One emulated CUDA case on a checked build (`check`: the build variant's flag), run by `run`:
 *  no report, and the comparison with the CPU backend passes. */
export async function checkEmulatedUnder(
  c: CheckedCase,
  check: { asan: true } | { racecheck: true },
  run: (job: SanitizerJob) => SanitizerRun,
  report: RegExp,
): Promise<void> {
  const spec = c.spec();
  const variant = { emulated: true, ...check, timeParallel: c.timeParallel, ...(c.steps ? { stepGraph: true, overlapUpload: true } : {}) };
  const { net, addonPath } = await buildModelAddon(spec, "cuda", variant);
  const { addonPath: reference } = await buildModelAddon(spec, "cpu");
  const density = c.density ?? vsCpuDensity(net, c.shipped === true);
  const job: SanitizerJob = { mode: c.steps ? "steps" : "vs-cpu", spec, addon: addonPath, reference, seed: c.seed, density, batch: c.batch ?? 4, dense: c.dense ?? true };
  const r = finished(run(job), report);
  if (c.steps) expectStepsMatchCpu(r as unknown as StepLaunchResult, true);
  else expectMatchesCpu(r as unknown as CudaVsCpu);
}

/** A checked emulated build of `spec` whose kernels.cu `edit` changed (a fault put in on purpose,
 *  which the check must stop), written to `dir` and built: its addon's path. The edit comes before
 *  the checked build's own changes, so its manifest, and the build stamp, follow it. */
export async function buildEditedEmulated(
  spec: NetworkSpec | string,
  check: { asan: true } | { racecheck: true },
  dir: string,
  edit: (kernels: string) => string,
): Promise<string> {
  const net = networkOf(spec);
  const plan = buildPlan(net, undefined, planOptionsFor("cuda", { emulated: true, ...check }));
  const emulated = emulateCudaFiles(plan, net.name, emitBackend(plan, "cuda", net.name)).map((f) => (f.path === "kernels.cu" ? { ...f, content: edit(f.content) } : f));
  writeGenerated(dir, "asan" in check ? withAddressSanitizer(plan, "cuda", net.name, emulated) : withRacecheck(plan, net.name, emulated));
  return (await buildAddon(dir)).addonPath;
}
