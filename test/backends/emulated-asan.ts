// Running an emulated CUDA case under AddressSanitizer: the CUDA kernels built by g++ against
// HIP-CPU with -fsanitize=address (the `asan` build variant), run in a child process that has
// libasan preloaded, against the CPU backend. Every device buffer is its own allocation, so a
// kernel that reads or writes past one stops the child with a report naming the kernel and the
// buffer's size: on the CPU, the out-of-bounds half of what compute-sanitizer's memcheck sees on a
// GPU (not shared memory, which HIP-CPU does not allocate per buffer, and not races).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { AsanCase } from "../support/emulated-cuda-cases.ts";
import { buildModelAddon } from "../support/build-model.ts";
import { vsCpuDensity } from "./cuda-vs-cpu.ts";

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
  /** The child's JSON line (cudaVsCpu's or stepLaunchCheck's result); null when it did not finish. */
  result: Record<string, number | boolean | null> | null;
}

/** Runs the child on built addons with libasan preloaded. */
export function runUnderAsan(job: { spec: unknown; cuda: string; cpu: string; seed: number; density: number; batch: number; dense: boolean; steps: boolean }): AsanRun {
  const dir = mkdtempSync(join(tmpdir(), "snnc-asan-"));
  try {
    const file = join(dir, "job.json");
    writeFileSync(file, JSON.stringify(job));
    const r = spawnSync(process.execPath, ["--import", "tsx", "test/support/emulated-asan-child.ts", file], {
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

/** One case under AddressSanitizer: no report, and the comparison with the CPU backend passes. */
export async function checkUnderAsan(c: AsanCase): Promise<void> {
  const spec = c.spec();
  const variant = { emulated: true, asan: true, timeParallel: c.timeParallel, ...(c.steps ? { stepGraph: true, overlapUpload: true } : {}) };
  const { net, addonPath: cuda } = await buildModelAddon(spec, "cuda", variant);
  const { addonPath: cpu } = await buildModelAddon(spec, "cpu");
  const run = runUnderAsan({ spec, cuda, cpu, seed: c.seed, density: c.density ?? vsCpuDensity(net, c.shipped === true), batch: c.batch ?? 4, dense: c.dense ?? true, steps: c.steps === true });
  expect(run.stderr, "AddressSanitizer's report").not.toMatch(/ERROR: AddressSanitizer/);
  expect(run.status, run.stderr).toBe(0);
  const r = run.result!;
  expect(r.spikes, "the batch made spikes").toBeGreaterThan(0);
  expect(r.spikeMismatches).toBe(0);
  if (c.steps) {
    expect(r.captures).toBeGreaterThanOrEqual(2);
    expect(r.pass).toBe(true);
  } else {
    expect(r.membrane).toBeLessThanOrEqual(1e-5);
    expect(r.sparseGrad).toBeLessThanOrEqual(1e-4);
    expect(r.denseGrad).toBeLessThanOrEqual(1e-4);
  }
}
