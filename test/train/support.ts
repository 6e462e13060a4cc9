// Shared by the training, checkpoint and report tests: a spec's CPU kernels (buildAddon locks the
// folder, so test files running in parallel never run cmake there at the same time), temporary run
// directories, and a quiet runTraining.

import { afterAll, beforeAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openNetwork, type OpenedNetwork } from "../../runtime/model/open-model.ts";
import { runTraining, type TrainRunOptions, type TrainRunResult } from "../../runtime/train/run-training.ts";
import { readSafetensors } from "../../runtime/checkpoint/safetensors.ts";

export const TINY = "models/tiny.json";

/** The synthetic task the 2-epoch learning test uses: the default one `snnc train models/tiny.json` gets. */
export const TINY_TASK = { trainSamples: 512, testSamples: 128, seed: 1 };

/** Opens a spec on the CPU backend. */
export async function openCpu(spec: string): Promise<OpenedNetwork> {
  return openNetwork(spec, { backend: "cpu" });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `snnc-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A temp folder with one finished tiny.json run in it (`<folder>/<name>`), trained in beforeAll and
 * removed in afterAll; `dir()` is the run's folder once beforeAll has run.
 */
export function trainedRunFixture(prefix: string, name: string, opts: { epochs: number; limit: number }) {
  const tmp = tempDir(prefix);
  const dir = join(tmp.path, name);
  beforeAll(async () => {
    await openCpu(TINY);
    await trainQuiet({ out: dir, ...opts });
  });
  afterAll(() => tmp.remove());
  return { tmp, dir: () => dir };
}

/** runTraining on the CPU backend without output (lines collected in `log`). Without a validation
 *  split unless `opts.recipe` says otherwise: the tests that count samples and Adam steps train on
 *  the whole synthetic training split (test/train/recipe.test.ts covers the default split). */
export async function trainQuiet(opts: Partial<TrainRunOptions>, log: string[] = []): Promise<TrainRunResult> {
  return runTraining({ specPath: TINY, backend: "cpu", progress: "none", log: (l) => log.push(l), ...opts, recipe: { validation: 0, ...opts.recipe } });
}

/** The tensors of a checkpoint file as raw bytes by name, for bit-for-bit comparisons. */
export function checkpointBytes(path: string): Map<string, Buffer> {
  const { tensors } = readSafetensors(path);
  return new Map([...tensors].map(([name, t]) => [name, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)]));
}
