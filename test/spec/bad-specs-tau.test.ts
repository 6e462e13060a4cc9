// Per-neuron τ in the spec (tau_ms / tau_syn_ms as a distribution; docs/design.md §2.1): the bad
// specs with the exact line the user sees, and what a good one lowers to.

import { describe, expect, it } from "vitest";
import { checkSpecText, formatProblem } from "../../compiler/spec/index.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { baseSpec, type Json } from "./base-spec.ts";

const FILE = "bad.json";

function mutate(f: (s: Json) => void): Json {
  const s = baseSpec();
  f(s);
  return s;
}

const line = (pointer: string, rest: string) => `${FILE}: ${pointer || "/"}: ${rest}`;
const RANGE_HINT = "drawn τ are clamped to it and a trained α stays in it";

const cases: { name: string; spec: Json; want: string[] }[] = [
  {
    name: "neither a number nor an object",
    spec: mutate((s) => (s.layers[0].neuron = { tau_ms: "20" })),
    want: [line("/layers/0/neuron/tau_ms", "must be a number or a distribution object, got string")],
  },
  {
    name: "an unknown init",
    spec: mutate((s) => (s.layers[0].neuron = { tau_ms: { init: "lognormal", mean: 20 } })),
    want: [line("/layers/0/neuron/tau_ms/init", 'must be one of "constant", "gamma", "uniform", got "lognormal"')],
  },
  {
    name: "gamma without k, with min",
    spec: mutate((s) => (s.layers[0].neuron = { tau_ms: { init: "gamma", mean: 20, min: 5 } })),
    want: [
      line("/layers/0/neuron/tau_ms", 'a "gamma" τ needs "k" (write "mean" and "k")'),
      line("/layers/0/neuron/tau_ms/min", '"min" does not belong to a "gamma" τ (a "gamma" τ takes "mean" and "k")'),
    ],
  },
  {
    name: "uniform with max ≤ min",
    spec: mutate((s) => (s.layers[0].neuron = { tau_syn_ms: { init: "uniform", min: 9, max: 4 } })),
    want: [line("/layers/0/neuron/tau_syn_ms/max", "max (4) must be greater than min (9)")],
  },
  {
    name: "a range outside [Δt, 1000·Δt]",
    spec: mutate((s) => (s.layers[0].neuron = { tau_ms: { init: "uniform", min: 0.5, max: 2000, learn: true } })),
    want: [
      line("/layers/0/neuron/tau_ms/min", `min = 0.5 ms is outside [1, 1000] ms, the range per-neuron τ is kept in (1 to 1000 steps of time.dt_ms = 1) (${RANGE_HINT})`),
      line("/layers/0/neuron/tau_ms/max", `max = 2000 ms is outside [1, 1000] ms, the range per-neuron τ is kept in (1 to 1000 steps of time.dt_ms = 1) (${RANGE_HINT})`),
    ],
  },
  {
    name: "beside a bias",
    spec: mutate((s) => {
      s.layers[0].bias = true;
      s.layers[0].neuron = { tau_ms: { init: "gamma", mean: 20, k: 3 } };
    }),
    want: [line("/layers/0/bias", "a layer with per-neuron τ cannot have a bias yet (remove the bias or write one number for τ)")],
  },
  {
    name: "at the top level, inherited by the readout",
    spec: mutate((s) => (s.neuron = { tau_ms: { init: "gamma", mean: 20, k: 3 } })),
    want: [
      line(
        "/neuron/tau_ms",
        "the readout takes its tau_ms from the top-level neuron, and a readout has one τ, not a per-neuron one (give the readout its own tau_ms, or write the per-neuron τ in the hidden layers' neuron)",
      ),
    ],
  },
];

describe("bad specs: per-neuron τ", () => {
  it.each(cases)("$name", ({ spec, want }) => {
    const result = checkSpecText(JSON.stringify(spec, null, 2), FILE);
    if (result.ok) throw new Error("expected the spec to be rejected");
    expect(result.problems.map(formatProblem)).toEqual(want);
  });
});

describe("good specs: per-neuron τ", () => {
  it("adds a<k> (and as<k> for τ_syn) after the layer's tensors; only trained ones get Adam", () => {
    const spec = mutate((s) => {
      s.neuron = { tau_ms: { init: "uniform", min: 5, max: 50 } };
      s.layers[0].neuron = { tau_syn_ms: { init: "constant", value: 5, learn: true } };
      s.layers[1].tau_ms = 10;
    });
    const r = checkSpecText(JSON.stringify(spec), "good.json");
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    const net = lowerSpec(r.spec);
    const l1 = net.layers[0];
    if (l1.kind !== "dense") throw new Error("dense expected");
    expect(l1.weights.map((w) => [w.name, w.role, w.trainable ?? true])).toEqual([
      ["w1", "feedforward", true],
      ["a1", "alpha", false],
      ["as1", "alpha_syn", true],
    ]);
    expect(l1.neuron.tauMs).toBe(27.5); // the nominal τ: the range's midpoint
    expect(l1.weights[1].init.tau).toEqual({ dist: { init: "uniform", min: 5, max: 50 }, dtMs: 1, alphaMin: Math.fround(Math.exp(-1)), alphaMax: Math.fround(Math.exp(-1 / 1000)) });
    const adam = buildPlan(net).launches.adam;
    expect(adam).toContain("adam_as1");
    expect(adam).not.toContain("adam_a1");
  });
});
