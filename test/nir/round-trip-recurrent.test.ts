// Export then import of recurrent layers and spiking readouts gives the identical spec and
// bit-identical weights (random specs: recurrence on the first, last, every or some hidden
// layers, spiking readouts plain, recurrent, with a bias, CuBa, to_reset or without leak), under
// both discretisations and both resets, through real files. R travels as NIR's edge cycle
// l<k> → w<k>_rec → l<k> and a spiking readout as a LIF, IF or CubaLIF node before Output.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { weightedLayers } from "../../compiler/ir/layers.ts";
import { exportNir } from "../../compiler/nir/export-graph.ts";
import { importNir } from "../../compiler/nir/import-graph.ts";
import type { Conventions } from "../../compiler/nir/conventions.ts";
import { checkSpecText, resolveSpec, type NetworkSpec, type ResolvedSpec } from "../../compiler/spec/index.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { readNirFile, writeNirFile } from "../../runtime/nir/nir-file.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { randomSpec } from "../support/random-spec.ts";

const tmp = mkdtempSync(join(tmpdir(), "snnc-nir-rec-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;

function resolved(raw: NetworkSpec): ResolvedSpec {
  const r = checkSpecText(JSON.stringify(raw), "random");
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.spec;
}

/** Every spiking layer, the spiking readout too, to one reset (NIR has one per file). */
function withReset(spec: NetworkSpec, reset: "subtract" | "to_reset"): NetworkSpec {
  const layers = spec.layers.map((l) => {
    if (l.kind !== "dense" && l.kind !== "conv" && !(l.kind === "readout" && l.spiking)) return l;
    const neuron = { ...l.neuron };
    if (reset === "to_reset") neuron.reset = "to_reset";
    else delete neuron.reset;
    return { ...l, neuron };
  });
  return { ...spec, layers };
}

/** Initial weights with the biases drawn (they start at zero). */
function drawnBiases(spec: ResolvedSpec, seed: number): Map<string, Float32Array> {
  const net = lowerSpec(spec);
  const w = initialWeights(net, seed);
  const rng = new Rng(seed);
  for (const layer of weightedLayers(net))
    for (const t of layer.weights) if (t.role === "bias") w.set(t.name, Float32Array.from({ length: t.size }, () => rng.uniform(-0.5, 0.5)));
  return w;
}

async function roundTrip(spec: ResolvedSpec, weights: Map<string, Float32Array>, c: Conventions) {
  const path = join(tmp, `rt-${fileNo++}.nir`);
  const graph = exportNir(spec, weights, c);
  await writeNirFile(path, graph);
  return { graph, back: importNir(await readNirFile(path), { ...c, fallbackName: "unused", source: "rt.nir" }) };
}

type Options = Parameters<typeof randomSpec>[1];
const CASES: [string, Options][] = [
  ["a recurrent first layer", { recurrent: "first" }],
  ["recurrent last layers with a bias", { recurrent: "last", bias: true }],
  ["every layer recurrent, CuBa", { recurrent: "all", cuba: true, bias: true }],
  ["some layers recurrent, IF", { recurrent: "some", noLeak: true }],
  ["a spiking readout", { spikingReadout: true }],
  ["a recurrent spiking readout", { spikingReadout: "recurrent" }],
  ["a spiking readout with a bias", { spikingReadout: true, readoutBias: true }],
  ["a recurrent CuBa spiking readout with a bias after recurrent CuBa layers", { recurrent: "all", cuba: true, spikingReadout: "recurrent", readoutBias: true, readoutCuba: true }],
  ["a spiking readout without leak", { spikingReadout: true, readoutNoLeak: true }],
];

describe("NIR round trip of recurrence and spiking readouts: export then import", () => {
  CASES.forEach(([label, opts], k) =>
    it(`${label} comes back identical (both discretisations, both resets, zero and drawn biases)`, async () => {
      for (const seed of [k + 1, k + 11])
        for (const reset of ["subtract", "to_reset"] as const) {
          const spec = resolved(withReset(randomSpec(seed, opts), reset));
          for (const weights of [initialWeights(lowerSpec(spec), 3), drawnBiases(spec, 4)])
            for (const discretization of ["exact", "euler"] as const) {
              const { graph, back } = await roundTrip(spec, weights, { dtMs: spec.time.dt_ms, discretization, reset, ifGain: "per-step" });
              expect(back.fromSnnc).toBe(true);
              expect(resolveSpec(back.spec)).toEqual(spec);
              expect([...back.weights.keys()]).toEqual([...weights.keys()]);
              for (const [name, w] of weights) expect(Buffer.from(back.weights.get(name)!.buffer).equals(Buffer.from(w.buffer)), `${name} bit-identical`).toBe(true);
              // R is an edge cycle through its own Linear, one per recurrent layer.
              const recurrent = spec.layers.flatMap((l, i) => ("recurrent" in l && l.recurrent ? [i + 1] : []));
              for (const i of recurrent) {
                expect(graph.nodes.get(`w${i}_rec`)?.type).toBe("Linear");
                expect(graph.edges).toContainEqual([`l${i}`, `w${i}_rec`]);
                expect(graph.edges).toContainEqual([`w${i}_rec`, `l${i}`]);
              }
              expect([...graph.nodes.keys()].filter((n) => n.endsWith("_rec"))).toHaveLength(recurrent.length);
            }
        }
    }),
  );

  it("a spiking readout is written as a spiking neuron node before Output", () => {
    const spec = resolved(randomSpec(2, { spikingReadout: true, readoutCuba: true }));
    const graph = exportNir(spec, initialWeights(lowerSpec(spec), 0), { dtMs: spec.time.dt_ms, discretization: "exact", reset: "subtract" });
    const last = graph.edges.find(([, to]) => to === "output")![0];
    expect(graph.nodes.get(last)!.type).toBe("CubaLIF");
  });
});
