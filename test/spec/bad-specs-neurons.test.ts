// Table-driven bad specs for the neuron options beyond the paper's LIF (bias, leak, reset,
// tau_syn_ms; docs/design.md §2), each with the exact line the user sees, in the style of
// bad-specs.test.ts. Plus the good side: what each option resolves to.

import { describe, expect, it } from "vitest";
import { checkSpecText, formatProblem } from "../../compiler/spec/index.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { biasOf } from "../../compiler/ir/layers.ts";
import { hashSpec } from "../../compiler/ir/lower.ts";
import { baseSpec, spatialSpec, type Json } from "./base-spec.ts";

const FILE = "bad.json";

function mutate(f: (s: Json) => void, start: () => Json = baseSpec): Json {
  const s = start();
  f(s);
  return s;
}

const line = (pointer: string, rest: string): [string, string] => [pointer, `${FILE}: ${pointer || "/"}: ${rest}`];
const NO_LEAK_HINT = "an integrate-and-fire neuron keeps its membrane as is between inputs; remove the field or set leak to true";

const cases: { name: string; spec: Json; want: [string, string][] }[] = [
  {
    name: "leak false beside tau_ms in a layer",
    spec: mutate((s) => (s.layers[0].neuron = { leak: false, tau_ms: 5 })),
    want: [line("/layers/0/neuron/tau_ms", `tau_ms has no effect on a layer without leak ("leak": false) (${NO_LEAK_HINT})`)],
  },
  {
    name: "leak false at the top, tau_ms and v_rest in a layer",
    spec: mutate((s) => {
      s.neuron = { leak: false };
      s.layers[0].neuron = { tau_ms: 5, v_rest: 0.1 };
    }),
    want: [
      line("/layers/0/neuron/tau_ms", `tau_ms has no effect on a layer without leak ("leak": false) (${NO_LEAK_HINT})`),
      line("/layers/0/neuron/v_rest", `v_rest has no effect on a layer without leak ("leak": false) (${NO_LEAK_HINT})`),
    ],
  },
  {
    name: "leak false beside tau_ms in a spiking readout's neuron",
    spec: mutate((s) => Object.assign(s.layers[1], { spiking: true, neuron: { leak: false, tau_ms: 5 } })),
    want: [line("/layers/1/neuron/tau_ms", `tau_ms has no effect on a layer without leak ("leak": false) (${NO_LEAK_HINT})`)],
  },
  {
    name: "leak false on a conv layer beside v_rest",
    spec: spatialSpec([1, 4, 4], [{ kind: "conv", filters: 2, kernel: 3, neuron: { leak: false, v_rest: 0.2 } }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0/neuron/v_rest", `v_rest has no effect on a layer without leak ("leak": false) (${NO_LEAK_HINT})`)],
  },
  {
    name: "leak given as a string",
    spec: mutate((s) => (s.neuron = { leak: "no" })),
    want: [line("/neuron/leak", "must be a boolean, got string")],
  },
  {
    name: "unknown reset mode",
    spec: mutate((s) => (s.layers[0].neuron = { reset: "zero" })),
    want: [line("/layers/0/neuron/reset", 'must be one of "subtract", "subtract_same_step", "to_reset", got "zero"')],
  },
  {
    name: "tau_syn_ms of 0",
    spec: mutate((s) => (s.neuron = { tau_syn_ms: 0 })),
    want: [line("/neuron/tau_syn_ms", "must be > 0, got 0")],
  },
  {
    name: "negative readout tau_syn_ms",
    spec: mutate((s) => (s.layers[1].tau_syn_ms = -2)),
    want: [line("/layers/1/tau_syn_ms", "must be > 0, got -2")],
  },
  {
    name: "to_reset with v_reset above v_th",
    spec: mutate((s) => (s.layers[0].neuron = { reset: "to_reset", v_reset: 1.5 })),
    want: [line("/layers/0/neuron/v_reset", "v_th (1) must be greater than v_reset (1.5) (a spike restarts the membrane from v_reset, which must lie below the threshold)")],
  },
  {
    name: "bias given as a number",
    spec: mutate((s) => (s.layers[0].bias = 1)),
    want: [line("/layers/0/bias", "must be a boolean, got 1")],
  },
  {
    name: "bias on a max-pool layer",
    spec: spatialSpec([1, 4, 4], [{ kind: "conv", filters: 2, kernel: 1 }, { kind: "maxpool", size: 2, bias: true }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/1/bias", 'unknown field "bias" (allowed fields: kind, size)')],
  },
];

describe("bad specs: bias, leak, reset, tau_syn_ms", () => {
  it.each(cases)("$name", ({ spec, want }) => {
    const result = checkSpecText(JSON.stringify(spec, null, 2), FILE);
    if (result.ok) throw new Error("expected the spec to be rejected");
    expect(result.problems.map(formatProblem)).toEqual(want.map(([, formatted]) => formatted));
    expect(result.problems.map((p) => p.pointer)).toEqual(want.map(([pointer]) => pointer));
  });
});

describe("good specs: what the options resolve to", () => {
  const lower = (s: Json) => {
    const r = checkSpecText(JSON.stringify(s), "good.json");
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    return { spec: r.spec, net: lowerSpec(r.spec) };
  };

  it("leak false at the top keeps tau_ms for the readout only", () => {
    const { net } = lower(mutate((s) => (s.neuron = { leak: false, tau_ms: 20 })));
    const [l1, ro] = net.layers;
    if (l1.kind !== "dense" || ro.kind !== "readout") throw new Error("shape");
    expect(l1.neuron).toMatchObject({ model: "lif", leak: false, alpha: 1, tauMs: null });
    expect(ro.alpha).toBeCloseTo(Math.exp(-1 / 20), 12);
  });

  it("tau_syn_ms makes a CuBa neuron; the readout has CuBa synapses only with its own", () => {
    const { net } = lower(mutate((s) => (s.neuron = { tau_syn_ms: 4, reset: "to_reset" })));
    const [l1, ro] = net.layers;
    if (l1.kind !== "dense" || ro.kind !== "readout") throw new Error("shape");
    expect(l1.neuron).toMatchObject({ model: "cuba-lif", reset: "to_reset", tauSynMs: 4, alphaSyn: Math.exp(-1 / 4) });
    expect(ro.synapse).toBeUndefined();
    const own = lower(mutate((s) => (s.layers[1].tau_syn_ms = 2))).net.layers[1];
    expect(own.kind === "readout" && own.synapse).toEqual({ tauSynMs: 2, alphaSyn: Math.exp(-1 / 2) });
  });

  it("bias adds tensors b<k> (per filter on conv), initialised to zero", () => {
    const { net } = lower(spatialSpec([1, 4, 4], [{ kind: "conv", filters: 3, kernel: 3, bias: true }, { kind: "flatten" }, { kind: "readout", size: 2, bias: true }]));
    const [conv, , ro] = net.layers;
    if (conv.kind !== "conv" || ro.kind !== "readout") throw new Error("shape");
    expect(biasOf(conv)).toMatchObject({ name: "b1", role: "bias", shape: [3], init: { distribution: "zeros", bound: 0 } });
    expect(biasOf(ro)).toMatchObject({ name: "b3", shape: [2] });
  });

  it("writing a default (reset subtract, leak true, bias false) changes neither the spec hash nor the IR", () => {
    const plain = lower(baseSpec());
    const explicit = lower(mutate((s) => {
      s.neuron = { reset: "subtract", leak: true };
      s.layers[0].bias = false;
    }));
    expect(hashSpec(explicit.spec)).toBe(hashSpec(plain.spec));
    expect(explicit.net).toEqual(plain.net);
  });
});
