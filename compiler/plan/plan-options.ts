// The options a plan is built with. How a LIF stage's forward orders its work (timeParallel,
// maxCurrentsBytes: compiler/plan/forward-schedule.ts), and how one training step is launched,
// beside what it computes (StepLaunchOptions): options that change the host's part of a step
// (launches, uploads), never a kernel's arithmetic. Both are CUDA only and off by default
// (no default plan, `--backend auto` or GPU-checked build uses them) until they have passed the
// GPU check; the CPU backend refuses them (compiler/backends/cpu/backend.ts).

export interface StepLaunchOptions {
  /** Capture the step's launch sequence (forward, loss, backward, Adam) once into a CUDA graph and
   *  replay it; re-captured when a buffer it uses moves (active-set or input growth, a new batch size). */
  stepGraph?: boolean;
  /** Upload the next batch's input events from pinned, double-buffered host memory on a copy stream
   *  while the current step runs (the runtime hands the next batch to trainStep). */
  overlapUpload?: boolean;
}

/** What a plan carries (Plan.stepLaunch): every option resolved. */
export interface StepLaunch {
  stepGraph: boolean;
  overlapUpload: boolean;
}

export function resolveStepLaunch(opts: StepLaunchOptions): StepLaunch {
  return { stepGraph: opts.stepGraph ?? false, overlapUpload: opts.overlapUpload ?? false };
}

/** The options that are on, by their CLI names, in a fixed order ("" when none): names a build
 *  folder apart from the default one (compiler/pipeline.ts) and lists them in `snnc inspect`. */
export function stepLaunchNames(s: StepLaunch): string[] {
  return [...(s.stepGraph ? ["step-graph"] : []), ...(s.overlapUpload ? ["overlap-upload"] : [])];
}

/** What the plan may choose: `auto` takes time-parallel wherever it applies; `off` (the default)
 *  keeps every stage step by step. On the CPU step by step measured faster; on CUDA time-parallel
 *  is generated but stays off until its kernels have passed the GPU check. */
export type TimeParallelOption = "auto" | "off";

export interface PlanOptions extends StepLaunchOptions {
  timeParallel?: TimeParallelOption;
  /** The most bytes of currents a time-parallel stage may hold per sample (default
   *  TIME_PARALLEL_MAX_BYTES, forward-schedule.ts); a backend whose currents live elsewhere sets its own. */
  maxCurrentsBytes?: number;
}
