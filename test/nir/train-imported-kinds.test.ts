// Imported networks with the new layer kinds train: the NIR paper's CNN shape (conv, IF with
// bias, sum-pool; Sinabs' per-step IF, NIR's same-step reset as to_reset) and snnTorch's CuBa
// graph start from exactly the imported weights and biases, and training moves them; so does the
// Braille-shaped graph (a recurrent CubaLIF layer, R included, and a spiking CubaLIF readout).

import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSafetensors } from "../../runtime/checkpoint/safetensors.ts";
import { runImport } from "../../runtime/nir/run-import.ts";
import { runTraining } from "../../runtime/train/run-training.ts";
import { tempDir } from "../train/support.ts";

const tmp = tempDir("nir-train-kinds");
afterAll(() => tmp.remove());
const SYNTH = { trainSamples: 32, testSamples: 8, seed: 5 };

const CASES = [
  { file: "nmnist-cnn-sinabs", flags: { discretization: "exact", reset: "to_reset", ifGain: "per-step" }, biases: ["b1", "b2", "b4", "b7", "b8"] },
  { file: "cuba-snntorch", flags: { discretization: "euler", reset: "subtract" }, biases: ["b1"] },
  { file: "braille-rcuba-snntorch", flags: { discretization: "euler", reset: "subtract" }, biases: ["b1", "b2"], recurrent: ["r1"] },
] as const;

describe("an imported NIR network with IF, CuBa, bias and sum-pool", () => {
  for (const { file, flags, biases, ...rest } of CASES)
    it(`${file}.nir trains from its imported weights and biases`, { timeout: 300_000 }, async () => {
      const spec = join(tmp.path, `${file}.json`);
      const weights = join(tmp.path, `${file}.safetensors`);
      await runImport({ file: `test/nir/fixtures/${file}.nir`, dtMs: 1, ...flags, steps: 16, out: spec, log: () => {} });
      const imported = readSafetensors(weights).tensors;
      const recurrent: readonly string[] = "recurrent" in rest ? rest.recurrent : [];
      for (const b of [...biases, ...recurrent]) expect(imported.has(b), b).toBe(true);
      const start = new Map<string, Float32Array>();
      const result = await runTraining({
        specPath: spec,
        backend: "cpu",
        init: weights,
        epochs: 1,
        batch: 8,
        synthetic: SYNTH,
        out: join(tmp.path, `run-${file}`),
        progress: "none",
        log: () => {},
        onModel: (m) => {
          for (const name of [...imported.keys()].filter((n) => /^[wbr]\d+$/.test(n))) start.set(name, Float32Array.from(m.getWeights(name)));
        },
      });
      for (const [name, w] of start) expect(Buffer.from(w.buffer).equals(Buffer.from((imported.get(name)!.data as Float32Array).buffer)), `${name} starts as imported`).toBe(true);
      const trained = readSafetensors(result.checkpoint!).tensors;
      const moved = [...start.keys()].filter((n) => !Buffer.from((trained.get(n)!.data as Float32Array).buffer).equals(Buffer.from(start.get(n)!.buffer)));
      expect(moved.length, "training changed the weights").toBeGreaterThan(0);
      expect(moved.some((n) => n.startsWith("b")), `a bias moved (${moved.join(", ")})`).toBe(true);
      for (const r of recurrent) expect(moved, `${r} moved`).toContain(r);
    });
});
