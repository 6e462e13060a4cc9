// The plan options a backend's build is made with: its defaults, or a variant of them. Kept apart
// from compiler/pipeline.ts (which builds) so code that only reads plans (the GPU check bundle,
// bench's memory table) can ask without importing the build.

import type { PlanOptions } from "../plan/plan-options.ts";
import { resolveStepLaunch, stepLaunchNames, type StepLaunchOptions } from "../plan/plan-options.ts";
import { BACKENDS, type BackendName } from "./index.ts";

/** A build other than a backend's default, CUDA only and experimental: time-parallel input
 *  currents (`--time-parallel`), one CUDA graph per step (`--step-graph`), the next batch uploaded
 *  during the step (`--overlap-upload`). Each variant has its own build folder (variantNames), so
 *  it never overwrites the default build. */
export interface BuildVariant extends StepLaunchOptions {
  timeParallel?: boolean;
  /** Not a plan option: the CUDA sources built by g++ against HIP-CPU, to run the CUDA kernels on the
   *  CPU (compiler/backends/emulated-cuda), in a folder of its own (`cuda-…-emulated`). */
  emulated?: boolean;
  /** Not a plan option, for tests: the CPU build or the emulated CUDA build with AddressSanitizer
   *  (`cpu-asan`, `cuda-…-emulated-asan`; compiler/backends/address-sanitizer.ts), so an access
   *  outside a buffer stops the run naming the kernel. Loads only into a process that has libasan
   *  preloaded (test/backends/asan.ts runs one). */
  asan?: boolean;
  /** Not a plan option, for tests: the emulated CUDA build with its accesses to __shared__ and
   *  device memory checked for races (`cuda-…-emulated-racecheck`; compiler/backends/emulated-cuda/
   *  racecheck.ts): a pair of accesses no barrier or atomic orders stops the run naming the kernel
   *  and the memory. */
  racecheck?: boolean;
}

/** The options a variant turns on, by their CLI names, in a fixed order (none for the default). */
export function variantNames(v: BuildVariant): string[] {
  return [...planVariantNames(v), ...(v.emulated ? ["emulated"] : []), ...(v.asan ? ["asan"] : []), ...(v.racecheck ? ["racecheck"] : [])];
}

/** The variant's options that change the plan. */
function planVariantNames(v: BuildVariant): string[] {
  return [...(v.timeParallel ? ["time-parallel"] : []), ...stepLaunchNames(resolveStepLaunch(v))];
}

/** The plan options of a backend's build: its defaults, with the variant's options on (CUDA only:
 *  the CPU backend refuses every one of them but `asan`, which changes no plan option). */
export function planOptionsFor(backend: BackendName, variant: BuildVariant = {}): PlanOptions {
  const defaults = BACKENDS[backend].planDefaults;
  const cudaOnly = [...planVariantNames(variant), ...(variant.emulated ? ["emulated"] : []), ...(variant.racecheck ? ["racecheck"] : [])];
  if (backend !== "cuda" && cudaOnly.length > 0) throw new Error(`internal error: ${cudaOnly.join(", ")} asked of the ${backend} backend`);
  if (planVariantNames(variant).length === 0) return defaults;
  return {
    ...defaults,
    ...(variant.timeParallel ? { timeParallel: "auto" as const } : {}),
    ...(variant.stepGraph ? { stepGraph: true } : {}),
    ...(variant.overlapUpload ? { overlapUpload: true } : {}),
  };
}
