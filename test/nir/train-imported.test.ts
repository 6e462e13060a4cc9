// An imported network trains: `snnc import` writes a spec and an epoch-0 checkpoint; `snnc eval`
// takes that checkpoint as it is, and `snnc train --init` starts from exactly its weights (fresh
// Adam) and changes them. --init is refused with --resume and when a tensor does not fit.

import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSafetensors } from "../../runtime/checkpoint/safetensors.ts";
import { runImport } from "../../runtime/nir/run-import.ts";
import { runEval } from "../../runtime/train/run-eval.ts";
import { runTraining } from "../../runtime/train/run-training.ts";
import { tempDir } from "../train/support.ts";

const tmp = tempDir("nir-train");
afterAll(() => tmp.remove());
const SYNTH = { trainSamples: 48, testSamples: 16, seed: 3 };

describe("an imported NIR network", () => {
  const spec = join(tmp.path, "lif2.json");
  const weights = join(tmp.path, "lif2.safetensors");

  it("evaluates and trains from its imported weights", { timeout: 300_000 }, async () => {
    await runImport({ file: "test/nir/fixtures/lif2-snntorch.nir", dtMs: 1, discretization: "euler", reset: "subtract", steps: 12, out: spec, log: () => {} });
    const imported = readSafetensors(weights).tensors;

    const summary = await runEval({ specPath: spec, checkpoint: weights, backend: "cpu", synthetic: SYNTH, log: () => {} });
    expect(summary.samples).toBe(16);
    expect(Number.isFinite(summary.loss)).toBe(true);

    const start = new Map<string, Float32Array>();
    const log: string[] = [];
    const result = await runTraining({
      specPath: spec,
      backend: "cpu",
      init: weights,
      epochs: 1,
      batch: 8,
      synthetic: SYNTH,
      out: join(tmp.path, "run"),
      progress: "none",
      log: (l) => log.push(l),
      onModel: (m) => {
        for (const name of ["w1", "w2", "w3"]) start.set(name, Float32Array.from(m.getWeights(name)));
      },
    });
    expect(log).toContain(`initial weights from ${weights}`);
    for (const [name, w] of start) expect(Buffer.from(w.buffer).equals(Buffer.from((imported.get(name)!.data as Float32Array).buffer)), `${name} starts as imported`).toBe(true);
    expect(result.checkpoint).not.toBeNull();
    const trained = readSafetensors(result.checkpoint!).tensors;
    const moved = ["w1", "w2", "w3"].some((n) => !Buffer.from((trained.get(n)!.data as Float32Array).buffer).equals(Buffer.from(start.get(n)!.buffer)));
    expect(moved, "training changed the weights").toBe(true);
  });

  it("refuses --init with --resume, and a weights file that does not fit", async () => {
    await expect(runTraining({ specPath: spec, backend: "cpu", init: weights, resume: weights, progress: "none", log: () => {} })).rejects.toThrow(
      "--init and --resume exclude each other",
    );
    await expect(runTraining({ specPath: "models/tiny.json", backend: "cpu", init: weights, progress: "none", log: () => {} })).rejects.toThrow(
      `${weights}: tensor w1 has shape [10, 16], tiny needs [12, 8]`,
    );
  });
});
