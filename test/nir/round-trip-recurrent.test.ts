// Export then import of recurrent layers and spiking readouts gives the identical spec and
// bit-identical weights (random specs: recurrence on the first, last, every or some hidden
// layers, spiking readouts plain, recurrent, with a bias, CuBa, to_reset or without leak), under
// both discretisations and both resets, through real files. R travels as NIR's edge cycle
// l<k> → w<k>_rec → l<k> and a spiking readout as a LIF, IF or CubaLIF node before Output.

import { describe, expect, it } from "vitest";
import { drawnBiases, fileRoundTrip, resolved, withReset } from "./round-trip-support.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { exportNir } from "../../compiler/nir/export-graph.ts";
import { resolveSpec } from "../../compiler/spec/index.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { randomSpec } from "../support/random-spec.ts";

const roundTrip = fileRoundTrip("snnc-nir-rec-");

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
