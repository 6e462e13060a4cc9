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
  /** Emulated only: built with AddressSanitizer (`cuda-…-emulated-asan`), so an out-of-bounds access
   *  to a device buffer stops the run with the kernel's name. Loads only into a process that has
   *  libasan preloaded (test/backends/emulated-asan.ts runs one). */
  asan?: boolean;
}

/** The options a variant turns on, by their CLI names, in a fixed order (none for the default). */
export function variantNames(v: BuildVariant): string[] {
  if (v.asan && !v.emulated) throw new Error("internal error: an AddressSanitizer build is an emulated CUDA build");
  return [...planVariantNames(v), ...(v.emulated ? ["emulated"] : []), ...(v.asan ? ["asan"] : [])];
}

/** The variant's options that change the plan. */
function planVariantNames(v: BuildVariant): string[] {
  return [...(v.timeParallel ? ["time-parallel"] : []), ...stepLaunchNames(resolveStepLaunch(v))];
}

/** The plan options of a backend's build: its defaults, with the variant's options on (CUDA only:
 *  the CPU backend refuses every one of them). */
export function planOptionsFor(backend: BackendName, variant: BuildVariant = {}): PlanOptions {
  const defaults = BACKENDS[backend].planDefaults;
  if (backend !== "cuda" && variantNames(variant).length > 0)
    throw new Error(`internal error: ${variantNames(variant).join(", ")} asked of the ${backend} backend`);
  if (planVariantNames(variant).length === 0) return defaults;
  return {
    ...defaults,
    ...(variant.timeParallel ? { timeParallel: "auto" as const } : {}),
    ...(variant.stepGraph ? { stepGraph: true } : {}),
    ...(variant.overlapUpload ? { overlapUpload: true } : {}),
  };
}
