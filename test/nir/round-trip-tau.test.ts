// NIR and per-neuron τ (docs/design.md §2.1): a layer's α per neuron is written as τ arrays
// (tau, tau_mem, tau_syn) with r and w_in per neuron, and comes back bit for bit through a file,
// the spec with it (the exporter's distribution and learn flag from the file's snnc metadata). A
// CubaLIF graph from another tool whose τ vary per neuron imports as a per-neuron τ, fixed unless
// --learn-tau; exported again it holds the same τ to float32 α's precision (snnc keeps α, not τ:
// ~2e-6 relative at τ = 30 Δt), and that file imports to the identical spec and weights.

import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { exportNir } from "../../compiler/nir/export-graph.ts";
import { importNir } from "../../compiler/nir/import-graph.ts";
import { nirArray, type NirGraph, type NirNode } from "../../compiler/nir/graph.ts";
import { resolveSpec } from "../../compiler/spec/index.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { randomSpec } from "../support/random-spec.ts";
import { expectSameWeights, fileRoundTrip, resolved, withReset } from "./round-trip-support.ts";

const roundTrip = fileRoundTrip("snnc-nir-tau-");

describe("NIR round trip of per-neuron τ", () => {
  for (const [label, opts] of [
    ["LIF, trained τ", { tau: "learn" }],
    ["CuBa, fixed τ and trained τ_syn, recurrent", { tau: "fixed", tauSyn: "learn", cuba: true, recurrent: "all" }],
  ] as const)
    it(`${label}: spec and weights come back identical (both discretisations, every reset)`, async () => {
      for (const reset of ["subtract", "subtract_same_step", "to_reset"] as const) {
        const spec = resolved(withReset(randomSpec(221, opts), reset));
        const weights = initialWeights(lowerSpec(spec), 5);
        expect([...weights.keys()].some((n) => /^as?\d/.test(n))).toBe(true);
        for (const discretization of ["exact", "euler"] as const) {
          const { graph, back } = await roundTrip(spec, weights, { dtMs: spec.time.dt_ms, discretization, reset });
          expect(back.fromSnnc).toBe(true);
          expect(resolveSpec(back.spec)).toEqual(spec);
          expectSameWeights(back.weights, weights);
          const l1 = graph.nodes.get("l1")!;
          const tau = (l1.params.tau ?? l1.params.tau_mem) as { data: Float64Array };
          expect(new Set(tau.data).size, "τ written per neuron").toBeGreaterThan(1);
        }
      }
    });
});

/** Input → Linear → CubaLIF (τ per neuron) → Linear → CubaLI → Output, as another tool writes it. */
function foreignCuba(): NirGraph {
  const n = 5;
  const weight = (rows: number, cols: number, s: number) => nirArray(Float64Array.from({ length: rows * cols }, (_, k) => Math.fround(0.1 * Math.sin(s + k))), [rows, cols], "f32");
  const per = (xs: number[]) => nirArray(Float64Array.from(xs, Math.fround), [xs.length], "f32");
  const fill = (x: number, len = n) => per(new Array(len).fill(x));
  return {
    nodes: new Map<string, NirNode>([
      ["input", { type: "Input", params: { shape: nirArray([3], [1], "i64") } }],
      ["fc1", { type: "Linear", params: { weight: weight(n, 3, 1) } }],
      [
        "lif1",
        {
          type: "CubaLIF",
          params: {
            tau_mem: per([0.01, 0.02, 0.015, 0.03, 0.025]),
            tau_syn: per([0.005, 0.004, 0.006, 0.005, 0.008]),
            r: fill(1),
            w_in: fill(1),
            v_leak: fill(0),
            v_threshold: fill(1),
            v_reset: fill(0),
          },
        },
      ],
      ["fc2", { type: "Linear", params: { weight: weight(2, n, 2) } }],
      ["li", { type: "CubaLI", params: { tau_mem: fill(0.02, 2), tau_syn: fill(0.005, 2), r: fill(1, 2), w_in: fill(1, 2), v_leak: fill(0, 2) } }],
      ["output", { type: "Output", params: { shape: nirArray([2], [1], "i64") } }],
    ]),
    edges: [["input", "fc1"], ["fc1", "lif1"], ["lif1", "fc2"], ["fc2", "li"], ["li", "output"]],
    metadata: {},
  };
}

describe("NIR CubaLIF with τ varying per neuron", () => {
  const c = { dtMs: 1, discretization: "exact", reset: "to_reset" } as const;
  it("imports as a fixed per-neuron τ (trained with --learn-tau); exported and imported again it is bit-identical", () => {
    const graph = foreignCuba();
    const back = importNir(graph, { ...c, fallbackName: "cuba", source: "cuba.nir" });
    const layer = back.spec.layers[0];
    if (layer.kind !== "dense") throw new Error("dense expected");
    expect(layer.neuron!.tau_ms).toEqual({ init: "uniform", min: 10, max: 30 });
    expect(layer.neuron!.tau_syn_ms).toEqual({ init: "uniform", min: 4, max: 8 });
    const a1 = back.weights.get("a1")!;
    expect(Array.from(a1)).toEqual([10, 20, 15, 30, 25].map((t) => Math.fround(Math.exp(-1 / t))));
    expect(back.weights.has("as1")).toBe(true);

    const learned = importNir(graph, { ...c, fallbackName: "cuba", source: "cuba.nir", learnTau: true });
    const l = learned.spec.layers[0];
    if (l.kind !== "dense") throw new Error("dense expected");
    expect(l.neuron!.tau_ms).toEqual({ init: "uniform", min: 10, max: 30, learn: true });
    const net = lowerSpec(resolveSpec(learned.spec));
    expect(net.layers[0].kind === "dense" && net.layers[0].weights.map((w) => [w.name, w.trainable ?? true])).toEqual([["w1", true], ["a1", true], ["as1", true]]);

    // Out again: the file's τ per neuron, to float32 α's precision; and in again, bit for bit.
    const out = exportNir(resolveSpec(back.spec), back.weights, c);
    const node = out.nodes.get("l1")!;
    for (const key of ["tau_mem", "tau_syn"]) {
      const got = (node.params[key] as { data: Float64Array }).data;
      const want = (graph.nodes.get("lif1")!.params[key] as { data: Float64Array }).data;
      got.forEach((t, j) => expect(Math.abs(t - want[j]) / want[j], `${key}[${j}]`).toBeLessThan(1e-5));
    }
    const again = importNir(out, { ...c, fallbackName: "cuba", source: "out.nir" });
    expect(resolveSpec(again.spec).layers).toEqual(resolveSpec(back.spec).layers);
    expectSameWeights(again.weights, back.weights);
  });

  it("refuses τ varying per neuron where snnc holds one: a readout", () => {
    const graph = foreignCuba();
    const li = graph.nodes.get("li")!;
    li.params.tau_mem = nirArray(Float64Array.from([0.02, 0.03]), [2], "f32");
    expect(() => importNir(graph, { ...c, fallbackName: "cuba", source: "cuba.nir" })).toThrow(/tau_mem" differs between neurons/);
  });
});
