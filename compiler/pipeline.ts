// The compiler's stages chained: spec file → IR → plan → emitted files on disk → built addon.
// Each stage is a pure function of the one before; this file only connects them.

import { join, relative } from "node:path";
import { loadSpecOrThrow } from "./spec/index.ts";
import { lowerSpec } from "./ir/lower.ts";
import { buildPlan } from "./plan/build-plan.ts";
import type { Plan } from "./plan/types.ts";
import type { Network } from "./ir/types.ts";
import type { BackendName } from "./backends/index.ts";
import { emitBackend, type EmittedFile } from "./backends/emit.ts";
import { writeGenerated } from "./build/write-generated.ts";
import { buildAddon, type BuildOptions, type BuildResult } from "./build/build-addon.ts";

export const GENERATED_ROOT = join(import.meta.dirname, "..", "generated");

export interface Compiled {
  network: Network;
  plan: Plan;
  files: EmittedFile[];
  dir: string;
}

export function loadNetwork(specPath: string): Network {
  return lowerSpec(loadSpecOrThrow(specPath).spec);
}

/** Emits generated/<model>/<backend>/ (or `outDir`) for a spec file; writes only changed files. */
export function compileSpec(specPath: string, backend: BackendName, outDir?: string, batch?: number): Compiled & { written: string[] } {
  const network = loadNetwork(specPath);
  return compileNetwork(network, backend, relative(process.cwd(), specPath) || specPath, outDir, batch);
}

export function compileNetwork(
  network: Network,
  backend: BackendName,
  source: string,
  outDir?: string,
  batch?: number,
): Compiled & { written: string[] } {
  const plan = buildPlan(network, batch);
  const files = emitBackend(plan, backend, source);
  const dir = outDir ?? join(GENERATED_ROOT, network.name, backend);
  const { written } = writeGenerated(dir, files);
  return { network, plan, files, dir, written };
}

export async function compileAndBuild(
  network: Network,
  backend: BackendName,
  source: string,
  opts: BuildOptions & { outDir?: string } = {},
): Promise<Compiled & BuildResult> {
  const compiled = compileNetwork(network, backend, source, opts.outDir);
  const built = await buildAddon(compiled.dir, opts);
  return { ...compiled, ...built };
}
