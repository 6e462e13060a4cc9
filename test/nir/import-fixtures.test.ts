// The committed fixtures (written in NIR's own layout by scripts/nir/make-fixtures.py) import, and
// the imported network run by the float64 reference (test/reference) reproduces a direct
// simulation of the NIR graph's continuous semantics (nir-sim.ts) under the same discretisation:
// identical spikes on tie-free inputs, readout potentials to float32 rounding of the weights.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { importNir } from "../../compiler/nir/import-graph.ts";
import { resolveSpec } from "../../compiler/spec/index.ts";
import { readNirFile } from "../../runtime/nir/nir-file.ts";
import { denseInput, referenceForward } from "../reference/index.ts";
import { randomBatch } from "../support/random-data.ts";
import { FIXTURES } from "./fixtures.ts";
import { simulateNir } from "./nir-sim.ts";

const T = 30;
const B = 4;

const CASES = [
  { file: "lif2-snntorch.nir", layers: ["dense", "dense", "readout"] },
  { file: "scale-norse.nir", layers: ["dense", "readout"] },
  { file: "conv-lif.nir", layers: ["conv", "flatten", "readout"] },
] as const;

describe("NIR fixtures import and run like NIR's semantics", () => {
  for (const { file, layers } of CASES)
    for (const discretization of ["euler", "exact"] as const)
      it(`${file}, ${discretization}`, async () => {
        const graph = await readNirFile(join(FIXTURES, file));
        const conv = { dtMs: 1, discretization, reset: "subtract" as const };
        const { spec, weights } = importNir(graph, { ...conv, fallbackName: "fixture", steps: T, source: file });
        expect(spec.layers.map((l) => l.kind)).toEqual(layers);
        const net = lowerSpec(resolveSpec(spec));
        const w = weightTensors(net).map((t) => Float64Array.from(weights.get(t.name)!));
        const nIn = net.input.size;

        // Inputs whose membranes stay clear of the threshold in the NIR simulation.
        let seed = 1;
        let batch = randomBatch(T, nIn, B, net.classes, 0.3, seed);
        const simulate = () => {
          const x = denseInput(batch);
          return Array.from({ length: B }, (_, b) => simulateNir(graph, x.subarray(b * T * nIn, (b + 1) * T * nIn), T, 1, discretization));
        };
        let sims = simulate();
        while (sims.some((s) => s.margin < 1e-4) && seed < 40) {
          batch = randomBatch(T, nIn, B, net.classes, 0.3, ++seed);
          sims = simulate();
        }
        expect(Math.min(...sims.map((s) => s.margin))).toBeGreaterThan(1e-4);

        const ref = referenceForward(net, w, batch);
        expect(ref.hidden).toHaveLength(sims[0].spikes.length);
        const L = ref.hidden.length + 1;
        for (let b = 0; b < B; b++) {
          const sim = sims[b];
          sim.spikes.forEach(({ n, s }, k) => {
            const l = k + 1;
            const total = s.reduce((a, x) => a + x, 0);
            // Not vacuous: the layer spikes, but not everywhere.
            if (b === 0) expect(total, `${sim.spikes[k].node} spike count`).toBeGreaterThan(0);
            if (b === 0) expect(total, `${sim.spikes[k].node} spike count`).toBeLessThan(n * T);
            const S = ref.hidden[k].S;
            for (let t = 0; t + l < T; t++)
              for (let j = 0; j < n; j++) expect(S[(b * T + t + l) * n + j], `layer ${l} neuron ${j} step ${t}`).toBe(s[t * n + j]);
          });
          const { n, v } = sim.readout;
          for (let t = 0; t + L < T; t++)
            for (let c = 0; c < n; c++) {
              const got = ref.readoutV[(b * T + t + L) * n + c];
              expect(Math.abs(got - v[t * n + c])).toBeLessThan(1e-5 * (1 + Math.abs(v[t * n + c])));
            }
        }
      });
});
