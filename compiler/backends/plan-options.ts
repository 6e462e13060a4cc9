// The plan options a backend's build is made with: its defaults, or a variant of them. Kept apart
// from compiler/pipeline.ts (which builds) so code that only reads plans (the GPU check bundle,
// bench's memory table) can ask without importing the build.

import type { PlanOptions } from "../plan/forward-schedule.ts";
import { BACKENDS, type BackendName } from "./index.ts";

/** A build other than a backend's default: time-parallel input currents (CUDA only, experimental,
 *  `--time-parallel`). Each variant has its own build folder, so it never overwrites the default. */
export interface BuildVariant {
  timeParallel?: boolean;
}

/** The plan options of a backend's build: its defaults, with time-parallel currents wherever they
 *  apply when the variant asks (CUDA only: the CPU backend refuses time-parallel stages). */
export function planOptionsFor(backend: BackendName, variant: BuildVariant = {}): PlanOptions {
  const defaults = BACKENDS[backend].planDefaults;
  if (!variant.timeParallel) return defaults;
  if (backend !== "cuda") throw new Error(`internal error: time-parallel currents asked of the ${backend} backend`);
  return { ...defaults, timeParallel: "auto" };
}
