// Export then import gives the identical spec and bit-identical weights: every shipped model NIR
// can represent, random dense and conv specs, under both discretisations, through real files
// (h5wasm write and read). fmnist-conv has a max-pool, which NIR cannot express: refused.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectSameWeights, fileRoundTrip, resolved } from "./round-trip-support.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { exportNir } from "../../compiler/nir/export-graph.ts";
import { importNir } from "../../compiler/nir/import-graph.ts";
import { loadSpecOrThrow, resolveSpec } from "../../compiler/spec/index.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { readNirFile } from "../../runtime/nir/nir-file.ts";
import { randomConvSpec, randomSpec } from "../support/random-spec.ts";
import { FIXTURES } from "./fixtures.ts";

const roundTrip = fileRoundTrip("snnc-nir-rt-");

const DISCRETIZATIONS = ["exact", "euler"] as const;

describe("NIR round trip: export then import", () => {
  for (const model of ["tiny", "fmnist", "fmnist-deep", "nmnist", "shd", "shd-recurrent"])
    for (const discretization of DISCRETIZATIONS)
      it(`models/${model}.json (${discretization}) comes back identical`, async () => {
        const { spec } = loadSpecOrThrow(`models/${model}.json`);
        const weights = initialWeights(lowerSpec(spec), 7);
        const { back } = await roundTrip(spec, weights, { dtMs: spec.time.dt_ms, discretization, reset: "subtract" });
        expect(back.fromSnnc).toBe(true);
        expect(resolveSpec(back.spec)).toEqual(spec);
        expectSameWeights(back.weights, weights);
      });

  it("refuses models/fmnist-conv.json: NIR has no max-pool", () => {
    const { spec } = loadSpecOrThrow("models/fmnist-conv.json");
    expect(() => exportNir(spec, initialWeights(lowerSpec(spec), 0), { dtMs: 1, discretization: "exact", reset: "subtract" })).toThrow(
      "/layers/1 is a max-pool, which NIR has no node for (only sum and average pooling), so this network cannot be exported",
    );
  });

  const randoms: [string, () => object][] = [
    ...Array.from({ length: 12 }, (_, k) => [`randomSpec(${k + 1})`, () => randomSpec(k + 1)] as [string, () => object]),
    ...Array.from({ length: 6 }, (_, k) => [`randomConvSpec(${k + 1})`, () => randomConvSpec(k + 1, { pool: false, dense: k % 2 === 0, secondConv: k % 3 === 0 })] as [string, () => object]),
  ];
  for (const [label, make] of randoms)
    it(`${label} comes back identical under both discretisations`, async () => {
      const spec = resolved(make());
      const weights = initialWeights(lowerSpec(spec), 3);
      for (const discretization of DISCRETIZATIONS) {
        const { back } = await roundTrip(spec, weights, { dtMs: spec.time.dt_ms, discretization, reset: "subtract" });
        expect(resolveSpec(back.spec)).toEqual(spec);
        expectSameWeights(back.weights, weights);
      }
    });

  it("with another --dt-ms keeps every α and the weights (τ scale with dt)", async () => {
    const { spec } = loadSpecOrThrow("models/tiny.json");
    const weights = initialWeights(lowerSpec(spec), 1);
    for (const discretization of DISCRETIZATIONS) {
      const { back } = await roundTrip(spec, weights, { dtMs: 0.25, discretization, reset: "subtract" });
      const a = lowerSpec(spec);
      const b = lowerSpec(resolveSpec(back.spec));
      expect(b.dtMs).toBe(0.25);
      a.layers.forEach((l, k) => {
        const m = b.layers[k];
        if (l.kind === "dense" && m.kind === "dense") expect(m.neuron.alpha).toBeCloseTo(l.neuron.alpha, 12);
        if (l.kind === "readout" && m.kind === "readout") expect(m.alpha).toBeCloseTo(l.alpha, 12);
      });
      expectSameWeights(back.weights, weights);
    }
  });

  it("a file from another tool survives import → export → import unchanged", async () => {
    const c = { dtMs: 1, discretization: "euler", reset: "subtract" } as const;
    const first = importNir(await readNirFile(join(FIXTURES, "lif2-snntorch.nir")), { ...c, fallbackName: "lif2", source: "lif2-snntorch.nir" });
    const spec = resolveSpec(first.spec);
    const { back } = await roundTrip(spec, first.weights, c);
    expect(resolveSpec(back.spec)).toEqual(spec);
    expectSameWeights(back.weights, first.weights);
  });
});
