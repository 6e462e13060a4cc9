// Running emulated CUDA builds under racecheck (the `racecheck` build variant, compiler/backends/
// emulated-cuda/racecheck.ts): kernels.cu compiled with -fsanitize=thread against snnc's own hooks
// (templates/emulated-cuda/racecheck.cpp), which check every access to __shared__ variables and
// device buffers. A pair of accesses no barrier orders, or an access outside a __shared__
// variable, stops the child process (test/support/sanitizer-child.ts) with one line naming the
// kernel, the memory and the threads: compute-sanitizer's racecheck, the same check on device
// memory, and memcheck's for shared memory, on the CPU.

import type { CheckedCase } from "../support/emulated-cuda-cases.ts";
import type { SanitizerJob } from "../support/sanitizer-child.ts";
import { checkEmulatedUnder, runSanitizerChild, type SanitizerRun } from "./sanitizer-run.ts";

/** A racecheck report: a race, or an access outside a __shared__ variable. */
export const RACE_REPORT = /snnc emulated CUDA racecheck: /;

/** Runs the child on built addons (a racecheck addon loads into any process). */
export function runUnderRacecheck(job: SanitizerJob): SanitizerRun {
  return runSanitizerChild(job);
}

/** One emulated CUDA case under racecheck: no race, no access outside a __shared__ variable, and
 *  the comparison with the CPU backend passes. */
export function checkUnderRacecheck(c: CheckedCase): Promise<void> {
  return checkEmulatedUnder(c, { racecheck: true }, runUnderRacecheck, RACE_REPORT);
}
