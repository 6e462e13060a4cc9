// Running builds under AddressSanitizer (the `asan` build variant, compiler/backends/
// address-sanitizer.ts): the kernels compiled with -fsanitize=address, run in a child process that
// has libasan preloaded (test/support/sanitizer-child.ts). Every buffer is its own allocation, so a
// kernel that reads or writes past one stops the child with a report naming the kernel and the
// buffer's size. For the CUDA kernels on the emulator this is the out-of-bounds half of what
// compute-sanitizer's memcheck sees on a GPU; shared memory, which HIP-CPU does not allocate per
// variable, and races are the racecheck build's (test/backends/racecheck.ts).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import type { SanitizerJob } from "../support/sanitizer-child.ts";
import type { CheckedCase } from "../support/emulated-cuda-cases.ts";
import { buildModelAddon } from "../support/build-model.ts";
import { checkEmulatedUnder, finished, runSanitizerChild, type SanitizerRun } from "./sanitizer-run.ts";

/** GCC's AddressSanitizer runtime, or null where it is not installed (gcc prints the bare name). */
export const LIBASAN: string | null = (() => {
  const r = spawnSync("gcc", ["-print-file-name=libasan.so"], { encoding: "utf8" });
  const path = r.status === 0 ? r.stdout.trim() : "";
  return path.startsWith("/") ? path : null;
})();

/** Runs the child on built addons with libasan preloaded. */
export function runUnderAsan(job: SanitizerJob): SanitizerRun {
  // Leaks are not the question (Node's own allocations would fill the report).
  return runSanitizerChild(job, { LD_PRELOAD: LIBASAN ?? "", ASAN_OPTIONS: "detect_leaks=0:halt_on_error=1" });
}

/** The addon was compiled with AddressSanitizer's checks (a build without them would pass every
 *  case with nothing checked). */
function expectInstrumented(addonPath: string): void {
  expect(readFileSync(addonPath).includes("__asan_report_load"), `${addonPath} has no AddressSanitizer checks`).toBe(true);
}

const ASAN_REPORT = /ERROR: AddressSanitizer/;

/** One emulated CUDA case under AddressSanitizer: no report, and the comparison with the CPU backend passes. */
export function checkUnderAsan(c: CheckedCase): Promise<void> {
  return checkEmulatedUnder(c, { asan: true }, runUnderAsan, ASAN_REPORT);
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
  const r = finished(runUnderAsan({ mode: "cpu-steps", spec, addon: addonPath, reference, seed, density, batch: 8, dense: true }), ASAN_REPORT);
  expect(r.steps).toBe(8);
  expect(r.finite).toBe(true);
  expect(r.regrows, "a tiny first active set grew").toBeGreaterThan(0);
  expect(r.lossError).toBeLessThanOrEqual(1e-6);
}
