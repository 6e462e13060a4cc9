// The compiler's stages chained: spec file → IR → plan → emitted files on disk → built addon.
// Each stage is a pure function of the one before; this file only connects them.

import { basename, join } from "node:path";
import { loadSpecOrThrow } from "./spec/index.ts";
import { lowerSpec } from "./ir/lower.ts";
import { buildPlan } from "./plan/build-plan.ts";
import { planOptionsFor, variantNames, type BuildVariant } from "./backends/plan-options.ts";
import type { Plan } from "./plan/types.ts";
import type { Network } from "./ir/types.ts";
import type { BackendName } from "./backends/index.ts";
import { emitBackend, type EmittedFile } from "./backends/emit.ts";
import { emulateCudaFiles } from "./backends/emulated-cuda/emulate.ts";
import { withAddressSanitizer } from "./backends/address-sanitizer.ts";
import { withRacecheck } from "./backends/emulated-cuda/racecheck.ts";
import { writeGenerated } from "./build/write-generated.ts";
import { buildAddon, type BuildOptions, type BuildResult } from "./build/build-addon.ts";
import { PACKAGE_ROOT } from "./util/package-root.ts";

export { planOptionsFor, type BuildVariant } from "./backends/plan-options.ts";

export const GENERATED_ROOT = join(PACKAGE_ROOT, "generated");

export interface Compiled {
  network: Network;
  plan: Plan;
  files: EmittedFile[];
  dir: string;
}

export function loadNetwork(specPath: string): Network {
  return lowerSpec(loadSpecOrThrow(specPath).spec);
}

/** How manifest.json names the spec file (its file name only). The other emitted files name the
 *  spec by its name and hash, so neither this label nor the path changes them: a link, a copy, or
 *  another command reaching the same spec reuses its build. */
export function sourceLabel(specPath: string): string {
  return basename(specPath);
}

/** The default build folder of a network: generated/<model>-<spec hash, 12 hex>/<backend>/. Keyed
 *  by content, so two different specs that share a `name` never overwrite each other's build. A
 *  build variant has its own folder, <backend>-<option>…/ (e.g. cuda-time-parallel/,
 *  cuda-step-graph-overlap-upload/, cuda-emulated/), so it never overwrites the default build. */
export function generatedDir(network: Network, backend: BackendName, variant: BuildVariant = {}): string {
  return join(GENERATED_ROOT, `${network.name}-${network.specHash.slice(0, 12)}`, [backend, ...variantNames(variant)].join("-"));
}

/** Emits generated/<model>-<hash>/<backend>/ (or `outDir`) for a spec file; writes only changed files. */
export function compileSpec(
  specPath: string,
  backend: BackendName,
  outDir?: string,
  batch?: number,
  variant: BuildVariant = {},
): Compiled & { written: string[] } {
  const network = loadNetwork(specPath);
  return compileNetwork(network, backend, sourceLabel(specPath), outDir, batch, variant);
}

/** `options` go over the backend's planDefaults (a backend refuses those it cannot generate). */
export function compileNetwork(
  network: Network,
  backend: BackendName,
  source: string,
  outDir?: string,
  batch?: number,
  variant: BuildVariant = {},
): Compiled & { written: string[] } {
  const plan = buildPlan(network, batch, planOptionsFor(backend, variant));
  const emitted = emitBackend(plan, backend, source);
  if (variant.racecheck && !variant.emulated) throw new Error("internal error: racecheck is a variant of the emulated CUDA build");
  const emulated = variant.emulated ? emulateCudaFiles(plan, source, emitted) : emitted;
  const built = variant.racecheck ? withRacecheck(plan, source, emulated) : emulated;
  const files = variant.asan ? withAddressSanitizer(plan, backend, source, built) : built;
  const dir = outDir ?? generatedDir(network, backend, variant);
  const { written } = writeGenerated(dir, files);
  return { network, plan, files, dir, written };
}

export async function compileAndBuild(
  network: Network,
  backend: BackendName,
  source: string,
  opts: BuildOptions & BuildVariant & { outDir?: string } = {},
): Promise<Compiled & BuildResult> {
  const compiled = compileNetwork(network, backend, source, opts.outDir, undefined, variantOf(opts));
  const built = await buildAddon(compiled.dir, opts);
  return { ...compiled, ...built };
}

/** The build variant in a set of build options (which carry other fields too). */
function variantOf(opts: BuildVariant): BuildVariant {
  return { timeParallel: opts.timeParallel, stepGraph: opts.stepGraph, overlapUpload: opts.overlapUpload, emulated: opts.emulated, asan: opts.asan, racecheck: opts.racecheck };
}
