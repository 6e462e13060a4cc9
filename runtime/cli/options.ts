// Options and small helpers shared by several commands.

import { existsSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { InvalidArgumentError, Option } from "commander";
import { BACKENDS, type BackendName } from "../../compiler/backends/index.ts";
import { TEMPLATE_ROOT } from "../../compiler/backends/render.ts";
import { PlanError } from "../../compiler/plan/build-plan.ts";
import { CliError, UsageError } from "./fail.ts";

export function backendOption(): Option {
  return new Option("--backend <backend>", "kernel backend").choices(["cpu", "cuda"]).default("cpu");
}

/** `--time-parallel`: the CUDA plan with time-parallel input currents wherever they apply (dense,
 *  non-recurrent LIF stages), built into its own folder. Off by default, never chosen by `auto`. */
export function timeParallelOption(): Option {
  return new Option("--time-parallel", "CUDA only, experimental: time-parallel input currents; not yet verified on a GPU");
}

/** The usage error of `--time-parallel` with `--backend cpu` (one sentence, exit 2). */
export function assertTimeParallelBackend(timeParallel: boolean | undefined, backend: string): void {
  if (timeParallel && backend === "cpu") throw new UsageError("--time-parallel is CUDA only and cannot be used with --backend cpu");
}

/** A positive integer option value; anything else is a usage error (exit 2). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** A whole number ≥ 0 (`--warmup 0`: no untimed repetitions); anything else is a usage error (exit 2). */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${value}"`);
  return n;
}

/** A path as the user would type it: relative to the cwd when below it, else absolute. */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? p : rel;
}

/** One sentence instead of a file-not-found crash when a backend's templates are not in this checkout. */
export function assertBackendAvailable(backend: BackendName): void {
  const missing = BACKENDS[backend].templates.map(([t]) => t).filter((t) => !existsSync(join(TEMPLATE_ROOT, t)));
  if (missing.length > 0)
    throw new CliError(
      `the ${backend} backend is not available in this checkout: its templates ${missing.map((t) => `templates/${t}`).join(", ")} are missing`,
    );
}

/** Runs fn; a PlanError (a layer the kernels cannot generate) comes out prefixed with the spec file,
 *  like a spec problem: `models/fmnist-conv.json: /layers/0: conv layers …`. */
export function withSpecFile<T>(spec: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PlanError && !e.message.startsWith(`${spec}: `)) throw new PlanError(`${spec}: ${e.message}`);
    throw e;
  }
}
