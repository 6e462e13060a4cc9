// Running builds under AddressSanitizer (the `asan` build variant, compiler/backends/
// address-sanitizer.ts): the kernels compiled with -fsanitize=address, run in a child process that
// has libasan preloaded (test/support/asan-child.ts). Every buffer is its own allocation, so a
// kernel that reads or writes past one stops the child with a report naming the kernel and the
// buffer's size. For the CUDA kernels on the emulator this is the out-of-bounds half of what
// compute-sanitizer's memcheck sees on a GPU (not shared memory, which HIP-CPU does not allocate
// per buffer, and not races).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StepLaunchResult } from "../../scripts/gpu/step-launch-check.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import type { AsanJob } from "../support/asan-child.ts";
import type { AsanCase } from "../support/emulated-cuda-cases.ts";
import { buildModelAddon } from "../support/build-model.ts";
import { vsCpuDensity, type CudaVsCpu } from "./cuda-vs-cpu.ts";
import { expectMatchesCpu, expectStepsMatchCpu } from "./emulated-cuda.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** GCC's AddressSanitizer runtime, or null where it is not installed (gcc prints the bare name). */
export const LIBASAN: string | null = (() => {
  const r = spawnSync("gcc", ["-print-file-name=libasan.so"], { encoding: "utf8" });
  const path = r.status === 0 ? r.stdout.trim() : "";
  return path.startsWith("/") ? path : null;
})();

export interface AsanRun {
  status: number | null;
  stderr: string;
  /** The child's JSON line; null when it did not finish. */
  result: Record<string, number | boolean | null> | null;
}

/** Runs the child on built addons with libasan preloaded. */
export function runUnderAsan(job: AsanJob): AsanRun {
  const dir = mkdtempSync(join(tmpdir(), "snnc-asan-"));
  try {
    const file = join(dir, "job.json");
    writeFileSync(file, JSON.stringify(job));
    const r = spawnSync(process.execPath, ["--import", "tsx", "test/support/asan-child.ts", file], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 600_000,
      // Leaks are not the question (Node's own allocations would fill the report).
      env: { ...process.env, LD_PRELOAD: LIBASAN ?? "", ASAN_OPTIONS: "detect_leaks=0:halt_on_error=1" },
    });
    const last = r.stdout.trim().split("\n").at(-1) ?? "";
    return { status: r.status, stderr: r.stderr, result: r.status === 0 && last.startsWith("{") ? JSON.parse(last) : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The addon was compiled with AddressSanitizer's checks (a build without them would pass every
 *  case with nothing checked). */
function expectInstrumented(addonPath: string): void {
  expect(readFileSync(addonPath).includes("__asan_report_load"), `${addonPath} has no AddressSanitizer checks`).toBe(true);
}

/** A run that AddressSanitizer let finish. */
function finished(run: AsanRun): Record<string, number | boolean | null> {
  expect(run.stderr, "AddressSanitizer's report").not.toMatch(/ERROR: AddressSanitizer/);
  expect(run.status, run.stderr).toBe(0);
  return run.result!;
}

/** One emulated CUDA case under AddressSanitizer: no report, and the comparison with the CPU backend passes. */
export async function checkUnderAsan(c: AsanCase): Promise<void> {
  const spec = c.spec();
  const variant = { emulated: true, asan: true, timeParallel: c.timeParallel, ...(c.steps ? { stepGraph: true, overlapUpload: true } : {}) };
  const { net, addonPath } = await buildModelAddon(spec, "cuda", variant);
  const { addonPath: reference } = await buildModelAddon(spec, "cpu");
  const density = c.density ?? vsCpuDensity(net, c.shipped === true);
  const r = finished(runUnderAsan({ mode: c.steps ? "steps" : "vs-cpu", spec, addon: addonPath, reference, seed: c.seed, density, batch: c.batch ?? 4, dense: c.dense ?? true }));
  if (c.steps) expectStepsMatchCpu(r as unknown as StepLaunchResult, true);
  else expectMatchesCpu(r as unknown as CudaVsCpu);
}

/** A describe block that runs only with GCC's libasan. Elsewhere it is skipped with a line saying
 *  so; on CI, where g++ brings it, it fails instead. */
export function describeAsan(title: string, body: () => void): void {
  if (LIBASAN !== null) describe(title, body);
  else if (process.env.CI) describe(title, () => it("has GCC's libasan (installed with g++)", () => expect.fail("gcc -print-file-name=libasan.so found no libasan")));
  else {
    console.log(`skipped: ${title}: GCC's libasan is not installed`);
    describe.skip(`${title} (skipped: GCC's libasan is not installed)`, body);
  }
}

/** A spec's CPU backend under AddressSanitizer: four training steps each way (sparse, dense) with
 *  no report, the losses those of the plain build. */
export async function checkCpuUnderAsan(spec: NetworkSpec | string, seed: number, density: number): Promise<void> {
  const { addonPath } = await buildModelAddon(spec, "cpu", { asan: true });
  expectInstrumented(addonPath);
  const { addonPath: reference } = await buildModelAddon(spec, "cpu");
  expect(readFileSync(reference).includes("__asan_report_load"), "the plain build has no AddressSanitizer checks").toBe(false);
  const r = finished(runUnderAsan({ mode: "cpu-steps", spec, addon: addonPath, reference, seed, density, batch: 8, dense: true }));
  expect(r.steps).toBe(8);
  expect(r.finite).toBe(true);
  expect(r.regrows, "a tiny first active set grew").toBeGreaterThan(0);
  expect(r.lossError).toBeLessThanOrEqual(1e-6);
}
