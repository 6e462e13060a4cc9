// ALIF's spec fields (tau_adapt_ms, beta_adapt; compiler/neurons/alif.ts): the schema's ranges and
// the model's own cross-field rules (its checkSpec), each with the line the user sees and its JSON
// pointer; what they resolve to; and NIR's refusal of an ALIF layer (it has no such primitive).

import { describe, expect, it } from "vitest";
import { checkSpecText, formatProblem } from "../../compiler/spec/index.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { exportNir } from "../../compiler/nir/export-graph.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { baseSpec, type Json } from "./base-spec.ts";

const FILE = "bad.json";

function mutate(f: (s: Json) => void): Json {
  const s = baseSpec();
  f(s);
  return s;
}

const line = (pointer: string, rest: string): [string, string] => [pointer, `${FILE}: ${pointer}: ${rest}`];
const CUBA = "an adaptive threshold (tau_adapt_ms) cannot go with current-based synapses (tau_syn_ms): snnc has no ALIF neuron with CuBa synapses (remove tau_syn_ms for an ALIF layer, or tau_adapt_ms for a CuBa layer)";
const NO_ADAPT = "beta_adapt has no effect without tau_adapt_ms (it scales the adaptation of an ALIF neuron) (add tau_adapt_ms to make the layer adaptive, or remove beta_adapt)";

const cases: { name: string; spec: Json; want: [string, string][] }[] = [
  { name: "tau_adapt_ms of 0", spec: mutate((s) => (s.neuron = { tau_adapt_ms: 0 })), want: [line("/neuron/tau_adapt_ms", "must be > 0, got 0")] },
  { name: "negative beta_adapt", spec: mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 100, beta_adapt: -1 })), want: [line("/layers/0/neuron/beta_adapt", "must be >= 0, got -1")] },
  { name: "ALIF with CuBa in one layer", spec: mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 100, tau_syn_ms: 5 })), want: [line("/layers/0/neuron/tau_adapt_ms", CUBA)] },
  {
    name: "tau_adapt_ms at the top, tau_syn_ms in the layer: the pointer names the inherited field's place",
    spec: mutate((s) => {
      s.neuron = { tau_adapt_ms: 100 };
      s.layers[0].neuron = { tau_syn_ms: 5 };
    }),
    want: [line("/neuron/tau_adapt_ms", CUBA)],
  },
  {
    name: "a spiking readout with its own tau_syn_ms under a top-level tau_adapt_ms",
    spec: mutate((s) => {
      s.neuron = { tau_adapt_ms: 100 };
      Object.assign(s.layers[1], { spiking: true, tau_syn_ms: 4 });
    }),
    want: [line("/neuron/tau_adapt_ms", CUBA)],
  },
  {
    name: "ALIF with a per-neuron tau_ms",
    spec: mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 100, tau_ms: { init: "gamma", mean: 20, k: 3 } })),
    want: [
      line(
        "/layers/0/neuron/tau_ms",
        "a per-neuron tau_ms cannot go with an adaptive threshold (tau_adapt_ms) yet: snnc has no per-neuron τ for ALIF layers (write one number for tau_ms in an ALIF layer, or remove tau_adapt_ms)",
      ),
    ],
  },
  { name: "beta_adapt without tau_adapt_ms", spec: mutate((s) => (s.layers[0].neuron = { beta_adapt: 2 })), want: [line("/layers/0/neuron/beta_adapt", NO_ADAPT)] },
  // Trained adaptation (learn_adapt).
  { name: "learn_adapt not a boolean", spec: mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 100, learn_adapt: 1 })), want: [line("/layers/0/neuron/learn_adapt", "must be a boolean, got 1")] },
  {
    name: "learn_adapt without tau_adapt_ms",
    spec: mutate((s) => (s.layers[0].neuron = { learn_adapt: true })),
    want: [line("/layers/0/neuron/learn_adapt", "learn_adapt trains an adaptive threshold, and this layer has none (no tau_adapt_ms) (add tau_adapt_ms to make the layer adaptive, or remove learn_adapt)")],
  },
  {
    name: "learn_adapt with a bias",
    spec: mutate((s) => Object.assign(s.layers[0], { bias: true, neuron: { tau_adapt_ms: 100, learn_adapt: true } })),
    want: [line("/layers/0/bias", "a layer with trained adaptation (learn_adapt) cannot have a bias yet (remove the bias or learn_adapt)")],
  },
  {
    name: "learn_adapt with tau_adapt_ms beyond 1000 steps (inherited from the top level)",
    spec: mutate((s) => {
      s.neuron = { tau_adapt_ms: 2000 };
      s.layers[0].neuron = { learn_adapt: true };
    }),
    want: [
      line(
        "/neuron/tau_adapt_ms",
        "tau_adapt_ms = 2000 ms is outside [1, 1000] ms, the range a trained ρ is kept in (1 to 1000 steps of time.dt_ms = 1) (write a tau_adapt_ms in that range, or remove learn_adapt)",
      ),
    ],
  },
  {
    name: "learn_adapt on a spiking readout",
    spec: mutate((s) => Object.assign(s.layers[1], { spiking: true, neuron: { tau_adapt_ms: 30, learn_adapt: true } })),
    want: [
      line(
        "/layers/1/neuron/learn_adapt",
        "trained adaptation (learn_adapt) applies to hidden (dense, conv) layers only; a spiking readout keeps one ρ and β_a (remove learn_adapt from the readout's neuron)",
      ),
    ],
  },
];

describe("bad specs: tau_adapt_ms, beta_adapt", () => {
  it.each(cases)("$name", ({ spec, want }) => {
    const result = checkSpecText(JSON.stringify(spec, null, 2), FILE);
    if (result.ok) throw new Error("expected the spec to be rejected");
    expect(result.problems.map(formatProblem)).toEqual(want.map(([, formatted]) => formatted));
    expect(result.problems.map((p) => p.pointer)).toEqual(want.map(([pointer]) => pointer));
  });
});

describe("ALIF specs", () => {
  const lower = (s: Json) => {
    const r = checkSpecText(JSON.stringify(s), "good.json");
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    return { spec: r.spec, net: lowerSpec(r.spec) };
  };

  it("tau_adapt_ms makes an ALIF neuron: ρ = exp(−Δt/τ_adapt), β_a 1.8 unless given; the readout stays plain", () => {
    const { net } = lower(mutate((s) => (s.neuron = { tau_adapt_ms: 200, reset: "to_reset" })));
    const [l1, ro] = net.layers;
    if (l1.kind !== "dense" || ro.kind !== "readout") throw new Error("shape");
    expect(l1.neuron).toMatchObject({ model: "alif", reset: "to_reset", tauAdaptMs: 200, rho: Math.exp(-1 / 200), betaAdapt: 1.8 });
    expect(ro.neuron).toBeUndefined();
    const own = lower(mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 50, beta_adapt: 0.5 }))).net.layers[0];
    expect(own.kind === "dense" && own.neuron).toMatchObject({ model: "alif", rho: Math.exp(-1 / 50), betaAdapt: 0.5 });
  });

  it("a spiking readout may be ALIF; a plain one ignores the top-level adaptation", () => {
    const ro = lower(mutate((s) => Object.assign(s.layers[1], { spiking: true, neuron: { tau_adapt_ms: 30, beta_adapt: 0.2 } }))).net.layers[1];
    expect(ro.kind === "readout" && ro.neuron).toMatchObject({ model: "alif", betaAdapt: 0.2, rho: Math.exp(-1 / 30) });
  });

  it("learn_adapt lowers to ρ and β_a per neuron: tensors ra1, ba1 after W, trained, starting at the layer's values", () => {
    const { net } = lower(mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 50, beta_adapt: 0.5, learn_adapt: true })));
    const l1 = net.layers[0];
    if (l1.kind !== "dense") throw new Error("shape");
    expect(l1.neuron).toMatchObject({ model: "alif", learnAdapt: { rhoMin: Math.fround(Math.exp(-1)), rhoMax: Math.fround(Math.exp(-1 / 1000)) } });
    expect(l1.weights.map((w) => [w.name, w.role, w.size, w.trainable])).toEqual([
      ["w1", "feedforward", 12, undefined],
      ["ra1", "rho", 3, undefined],
      ["ba1", "beta_adapt", 3, undefined],
    ]);
    const w = initialWeights(net, 0);
    expect([...w.get("ra1")!]).toEqual([0, 1, 2].map(() => Math.fround(Math.exp(-1 / 50))));
    expect([...w.get("ba1")!]).toEqual([0.5, 0.5, 0.5]);
    // "learn_adapt": false is the default: the spec hashes as without it.
    const plain = lower(mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 50 })));
    const off = lower(mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 50, learn_adapt: false })));
    expect(off.net.specHash).toBe(plain.net.specHash);
  });

  it("NIR export refuses an ALIF layer with one sentence", () => {
    const { spec, net } = lower(mutate((s) => (s.layers[0].neuron = { tau_adapt_ms: 50 })));
    expect(() => exportNir(spec, initialWeights(net, 0), { dtMs: 1, discretization: "exact", reset: "subtract" })).toThrow(
      /^\/layers\/0 uses the "alif" neuron model, which NIR has no primitive for; NIR can carry LIF, IF and CubaLIF layers only$/,
    );
  });
});
