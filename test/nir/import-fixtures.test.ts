// The committed fixtures (written in NIR's own layout by scripts/nir/make-fixtures.py) import, and
// the imported network run by the float64 reference (test/reference) reproduces a direct
// simulation of the NIR graph's continuous semantics (nir-sim.ts) under the same discretisation:
// identical spikes on tie-free inputs, readout potentials to float32 rounding of the weights.
// The new layer kinds each have a fixture: the NIR paper's CNN shape (conv, IF, bias, sum-pool;
// Sinabs' per-step IF), snnTorch's CubaLIF/CubaLI and a literally read IF, under both resets; a
// recurrent LIF layer and the Braille graph's recurrent CubaLIF with a spiking CubaLIF readout.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { importNir } from "../../compiler/nir/import-graph.ts";
import { resolveSpec, type NetworkSpec } from "../../compiler/spec/index.ts";
import { readNirFile } from "../../runtime/nir/nir-file.ts";
import { denseInput, referenceForward } from "../reference/index.ts";
import { randomBatch } from "../support/random-data.ts";
import { FIXTURES } from "./fixtures.ts";
import { simulateNir } from "./nir-sim.ts";

const T = 30;
const B = 4;

const CNN = ["conv", "conv", "sumpool", "conv", "sumpool", "flatten", "dense", "readout"];

/** `delayed`: the graph has a bias past its first layer (nir-sim.ts says why that changes the
 *  comparison); `resets`/`ifGain`: the conventions each case is run under. */
interface Case {
  file: string;
  layers: readonly string[];
  delayed?: boolean;
  resets?: readonly ("subtract" | "to_reset")[];
  ifGain?: "literal" | "per-step";
  /** Checks on the imported spec beyond the layer kinds. */
  check?: (spec: NetworkSpec) => void;
}

const CASES: Case[] = [
  { file: "lif2-snntorch.nir", layers: ["dense", "dense", "readout"] },
  { file: "scale-norse.nir", layers: ["dense", "readout"] },
  { file: "conv-lif.nir", layers: ["conv", "flatten", "readout"] },
  {
    file: "nmnist-cnn-sinabs.nir",
    layers: CNN,
    delayed: true,
    resets: ["subtract", "to_reset"],
    ifGain: "per-step",
    check: (spec) => {
      for (const l of spec.layers) if (l.kind === "conv" || l.kind === "dense") expect([l.bias, l.neuron?.leak]).toEqual([true, false]);
      expect(spec.layers.at(-1)).toMatchObject({ kind: "readout", bias: true });
    },
  },
  {
    file: "cuba-snntorch.nir",
    layers: ["dense", "readout"],
    resets: ["subtract", "to_reset"],
    check: (spec) => {
      expect(spec.layers[0]).toMatchObject({ kind: "dense", bias: true });
      expect((spec.layers[0] as { neuron: { tau_syn_ms?: number } }).neuron.tau_syn_ms).toBeGreaterThan(0);
      expect((spec.layers[1] as { tau_syn_ms?: number }).tau_syn_ms).toBeGreaterThan(0);
    },
  },
  { file: "if-literal.nir", layers: ["dense", "readout"], resets: ["subtract", "to_reset"], ifGain: "literal" },
  {
    file: "recurrent-lif-snntorch.nir",
    layers: ["dense", "dense", "readout"],
    resets: ["subtract", "to_reset"],
    check: (spec) => {
      expect(spec.layers.map((l) => ("recurrent" in l ? (l.recurrent ?? false) : false))).toEqual([true, false, false]);
      expect(spec.layers[0]).not.toHaveProperty("bias");
    },
  },
  {
    // The NIR paper's Braille graph (03_rnn): CubaLIF with an Affine w_rec cycle, a spiking
    // CubaLIF readout; every node has a bias, the recurrent one included (acting from step 0).
    file: "braille-rcuba-snntorch.nir",
    layers: ["dense", "readout"],
    delayed: true,
    resets: ["subtract", "to_reset"],
    check: (spec) => {
      expect(spec.layers[0]).toMatchObject({ kind: "dense", recurrent: true, bias: true });
      expect(spec.layers[1]).toMatchObject({ kind: "readout", spiking: true, logits: "spike_count", input_scale: "one", bias: true });
      expect((spec.layers[1] as { tau_syn_ms?: number }).tau_syn_ms).toBeGreaterThan(0);
    },
  },
];

describe("NIR fixtures import and run like NIR's semantics", () => {
  for (const { file, layers, delayed, resets, ifGain, check } of CASES)
    for (const discretization of ["euler", "exact"] as const)
      for (const reset of resets ?? (["subtract"] as const))
        it(`${file}, ${discretization}${resets ? `, ${reset}` : ""}${ifGain ? `, --if-gain ${ifGain}` : ""}`, async () => {
          const graph = await readNirFile(join(FIXTURES, file));
          const conv = { dtMs: 1, discretization, reset, ifGain };
          const { spec, weights } = importNir(graph, { ...conv, fallbackName: "fixture", steps: T, source: file });
          expect(spec.layers.map((l) => l.kind)).toEqual(layers);
          check?.(spec);
          if (reset === "to_reset") for (const l of spec.layers) if (l.kind === "conv" || l.kind === "dense") expect(l.neuron?.reset).toBe("to_reset");
          const net = lowerSpec(resolveSpec(spec));
          const w = weightTensors(net).map((t) => Float64Array.from(weights.get(t.name)!));
          const nIn = net.input.size;

          // Inputs whose membranes stay clear of the threshold in the NIR simulation.
          let seed = 1;
          let batch = randomBatch(T, nIn, B, net.classes, 0.3, seed);
          const simulate = () => {
            const x = denseInput(batch);
            return Array.from({ length: B }, (_, b) => simulateNir(graph, x.subarray(b * T * nIn, (b + 1) * T * nIn), T, 1, discretization, { reset, ifGain, delayed }));
          };
          let sims = simulate();
          while (sims.some((s) => s.margin < 1e-4) && seed < 40) {
            batch = randomBatch(T, nIn, B, net.classes, 0.3, ++seed);
            sims = simulate();
          }
          expect(Math.min(...sims.map((s) => s.margin))).toBeGreaterThan(1e-4);

          const ref = referenceForward(net, w, batch);
          expect(ref.hidden).toHaveLength(sims[0].spikes.length);
          const L = delayed ? 1 : ref.hidden.length + 1;
          for (let b = 0; b < B; b++) {
            const sim = sims[b];
            sim.spikes.forEach(({ n, s }, k) => {
              const l = delayed ? 1 : k + 1;
              const total = s.reduce((a, x) => a + x, 0);
              // Not vacuous: the layer spikes, but not everywhere.
              if (b === 0) expect(total, `${sim.spikes[k].node} spike count`).toBeGreaterThan(0);
              if (b === 0) expect(total, `${sim.spikes[k].node} spike count`).toBeLessThan(n * T);
              const S = ref.hidden[k].S;
              for (let t = 0; t + l < T; t++)
                for (let j = 0; j < n; j++) expect(S[(b * T + t + l) * n + j], `layer ${l} neuron ${j} step ${t}`).toBe(s[t * n + j]);
            });
            if (!sim.readout) continue; // a spiking readout: its spikes were compared above
            const { n, v } = sim.readout;
            for (let t = 0; t + L < T; t++)
              for (let c = 0; c < n; c++) {
                const got = ref.readoutV[(b * T + t + L) * n + c];
                expect(Math.abs(got - v[t * n + c])).toBeLessThan(1e-5 * (1 + Math.abs(v[t * n + c])));
              }
          }
        });
});
