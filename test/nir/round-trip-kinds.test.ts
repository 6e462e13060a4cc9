// Export then import of the layer kinds beyond the paper gives the identical spec and
// bit-identical weights: random specs with bias (zero, as initialised, and drawn), IF (under both
// --if-gain readings), CuBa hidden layers and readouts, sum-pools, and the to_reset convention,
// under both discretisations, through real files; models/nmnist-conv.json likewise. What NIR cannot
// hold is refused in one sentence.

import { describe, expect, it } from "vitest";
import { drawnBiases, expectSameWeights, fileRoundTrip, resolved, withReset } from "./round-trip-support.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { exportNir } from "../../compiler/nir/export-graph.ts";
import type { Conventions } from "../../compiler/nir/conventions.ts";
import { loadSpecOrThrow, resolveSpec, type NetworkSpec, type ResolvedSpec } from "../../compiler/spec/index.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { randomConvSpec, randomSpec, type DynamicsOptions } from "../support/random-spec.ts";

const roundTrip = fileRoundTrip("snnc-nir-rt2-");

const DISCRETIZATIONS = ["exact", "euler"] as const;
const IF_LIF: DynamicsOptions = { bias: true, noLeak: true, readoutBias: true };
const CUBA: DynamicsOptions = { bias: true, cuba: true, readoutBias: true, readoutCuba: true };

const randoms: [string, () => NetworkSpec][] = [
  ...[1, 2, 3, 4].map((k) => [`randomSpec(${k}, IF + bias)`, () => randomSpec(k, IF_LIF)] as [string, () => NetworkSpec]),
  ...[5, 6, 7, 8].map((k) => [`randomSpec(${k}, CuBa + bias)`, () => randomSpec(k, CUBA)] as [string, () => NetworkSpec]),
  ...[1, 2, 3].map(
    (k) => [`randomConvSpec(${k}, sum-pool, IF + bias)`, () => randomConvSpec(k, { pool: false, sumpool: true, dense: true, secondConv: k % 2 === 1, dynamics: IF_LIF })] as [string, () => NetworkSpec],
  ),
  ...[4, 5, 6].map(
    (k) => [`randomConvSpec(${k}, sum-pools, CuBa + bias)`, () => randomConvSpec(k, { pool: false, sumpool: true, chain: true, secondConv: true, dynamics: CUBA })] as [string, () => NetworkSpec],
  ),
  ["randomConvSpec(7, input sum-pool)", () => randomConvSpec(7, { pool: false, sumpool: true, inputPool: true, dynamics: { bias: true } })],
];

describe("NIR round trip of the new layer kinds: export then import", () => {
  randoms.forEach(([label, make], k) =>
    it(`${label} comes back identical (both discretisations, every reset, zero and drawn biases)`, async () => {
      for (const reset of ["subtract", "subtract_same_step", "to_reset"] as const) {
        const spec = resolved(withReset(make(), reset));
        for (const weights of [initialWeights(lowerSpec(spec), 3), drawnBiases(spec, 4)])
          for (const discretization of DISCRETIZATIONS) {
            const ifGain = k % 2 === 0 ? "literal" : "per-step";
            const { graph, back } = await roundTrip(spec, weights, { dtMs: spec.time.dt_ms, discretization, reset, ifGain });
            expect(back.fromSnnc).toBe(true);
            expect(resolveSpec(back.spec)).toEqual(spec);
            expectSameWeights(back.weights, weights);
            expect(graph.metadata.reset).toBe(reset);
          }
      }
    }),
  );

  it("writes each new kind as its NIR node", async () => {
    const spec = resolved(randomConvSpec(4, { pool: false, sumpool: true, dense: true, dynamics: { bias: true, cuba: true, readoutBias: true, readoutCuba: true } }));
    const { graph } = await roundTrip(spec, drawnBiases(spec, 1), { dtMs: spec.time.dt_ms, discretization: "exact", reset: "subtract" });
    const types = [...graph.nodes.values()].map((n) => n.type);
    expect(types).toContain("SumPool2d");
    expect(types).toContain("CubaLIF");
    expect(types).toContain("CubaLI");
    expect(types).toContain("Affine");
    const ifSpec = resolved(randomSpec(1, IF_LIF));
    const ifGraph = exportNir(ifSpec, initialWeights(lowerSpec(ifSpec), 0), { dtMs: 0.5, discretization: "exact", reset: "subtract", ifGain: "literal" });
    const ifNode = [...ifGraph.nodes.values()].find((n) => n.type === "IF")!;
    // literal: v += dt·r·I with dt = 0.5 ms, so r = 2000/s gives a per-step gain of 1.
    expect(ifNode.params.r).toMatchObject({ data: expect.objectContaining({ 0: 2000 }) });
    expect(Object.keys(ifNode.params)).toEqual(["r", "v_threshold", "v_reset"]);
  });

  for (const discretization of DISCRETIZATIONS)
    it(`models/nmnist-conv.json (${discretization}) comes back identical`, async () => {
      const { spec } = loadSpecOrThrow("models/nmnist-conv.json");
      const weights = drawnBiases(spec, 7);
      const { back } = await roundTrip(spec, weights, { dtMs: spec.time.dt_ms, discretization, reset: "subtract", ifGain: "per-step" });
      expect(resolveSpec(back.spec)).toEqual(spec);
      expectSameWeights(back.weights, weights);
    });
});

describe("NIR export refuses what a NIR file cannot hold", () => {
  const refusal = (spec: ResolvedSpec, c: Conventions) => {
    try {
      exportNir(spec, initialWeights(lowerSpec(spec), 0), c);
    } catch (e) {
      return (e as Error).message;
    }
    return "(exported)";
  };
  it("a reset other than the file's", () => {
    const spec = resolved(withReset(randomSpec(2), "to_reset"));
    expect(refusal(spec, { dtMs: 1, discretization: "exact", reset: "subtract" })).toBe(
      '/layers/0 resets "to_reset" but the file is written for --reset subtract; NIR has one reset convention per file, so every spiking layer must use the same',
    );
  });
  it("a CuBa layer without leak", () => {
    const raw = randomSpec(2);
    const first = raw.layers[0] as { neuron?: object };
    first.neuron = { v_th: 1, leak: false, tau_syn_ms: 5 };
    expect(refusal(resolved(raw), { dtMs: 1, discretization: "exact", reset: "subtract" })).toBe(
      "/layers/0: a CuBa layer without leak has no NIR node (CubaLIF needs a finite tau_mem)",
    );
  });
});
