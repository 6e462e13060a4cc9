// The CPU backend against the float64 reference on networks with the neuron options beyond the
// paper's LIF (docs/design.md §2): trained biases (dense, conv per filter, readout), no leak
// (integrate-and-fire), reset to_reset, and CuBa synapses (hidden layers and the readout), mixed.
// The sparse backward must equal truncated-surrogate BPTT and the dense one full BPTT (1e-4
// relative), with identical spikes. Each spec builds an addon, so the list is kept short.

import { describe, expect, it } from "vitest";
import { biasOf, spikingLayers, weightTensors } from "../../compiler/ir/layers.ts";
import type { Network } from "../../compiler/ir/types.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { buildModel } from "../support/build-model.ts";
import { randomConvSpec, randomSpec } from "../support/random-spec.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

// [name, spec, seed, input density (default 0.2)]. Sparse inputs leave runs of steps without
// events, which the sparse walk crosses in one go: that is where ∇b's closed-form sums act.
const SPECS: [string, () => NetworkSpec, number, number?][] = [
  ["dense, bias, sparse input", () => randomSpec(109, { bias: true }), 109, 0.05],
  ["dense, bias + CuBa, sparse input", () => randomSpec(124, { bias: true, cuba: true, readoutBias: true }), 124, 0.04],
  ["dense, no leak (IF)", () => randomSpec(102, { noLeak: true }), 102],
  ["dense, reset to_reset", () => randomSpec(103, { toReset: true }), 103],
  ["dense, CuBa", () => randomSpec(104, { cuba: true }), 104],
  ["dense, CuBa + to_reset + bias", () => randomSpec(105, { cuba: true, toReset: true, bias: true }), 105],
  ["dense, IF + to_reset + bias, readout bias", () => randomSpec(106, { noLeak: true, toReset: true, bias: true, readoutBias: true }), 106],
  ["dense, readout CuBa + bias", () => randomSpec(107, { readoutCuba: true, readoutBias: true }), 107],
  ["dense, everything", () => randomSpec(108, { bias: true, noLeak: true, toReset: true, cuba: true, readoutBias: true, readoutCuba: true }), 108],
  ["dense, CuBa + IF, readout CuBa", () => randomSpec(101, { cuba: true, noLeak: true, readoutCuba: true }), 101],
  ["conv, bias per filter", () => randomConvSpec(110, { pool: true, dynamics: { bias: true } }), 110],
  ["conv, CuBa + to_reset + bias, readout bias", () => randomConvSpec(111, { pool: false, dynamics: { cuba: true, toReset: true, bias: true, readoutBias: true } }), 111],
  ["conv → dense, IF + bias, readout CuBa", () => randomConvSpec(112, { pool: true, dense: true, dynamics: { noLeak: true, bias: true, readoutCuba: true } }), 112],
  ["conv → pool → conv, everything", () => randomConvSpec(113, { pool: true, secondConv: true, dynamics: { bias: true, noLeak: true, toReset: true, cuba: true, readoutBias: true, readoutCuba: true } }), 113],
];

/** Which options a network actually uses, for the coverage test below. */
function features(net: Network): Set<string> {
  const out = new Set<string>();
  for (const l of spikingLayers(net)) {
    const kind = l.kind;
    if (biasOf(l)) out.add(`${kind} bias`);
    if (!l.neuron.leak) out.add(`${kind} IF`);
    if (l.neuron.reset === "to_reset") out.add(`${kind} to_reset`);
    if (l.neuron.model === "cuba-lif") out.add(`${kind} CuBa`);
  }
  const ro = net.layers[net.layers.length - 1];
  if (ro.kind === "readout") {
    if (biasOf(ro)) out.add("readout bias");
    if (ro.synapse) out.add("readout CuBa");
  }
  return out;
}

describe("CPU backend matches the float64 reference with bias, IF, reset modes and CuBa", () => {
  for (const [name, spec, seed, density] of SPECS) {
    it(name, async () => {
      const { net, addon } = await buildModel(spec());
      const r = checkNumerics(net, addon, seed, density);
      expectMatchesReference(r);
      expect(r.activeFraction).toBeGreaterThan(0);
    });
  }

  it("the list covers every option on dense and conv layers and the readout", async () => {
    const { networkOf } = await import("../support/build-model.ts");
    const seen = new Set(SPECS.flatMap(([, s]) => [...features(networkOf(s()))]));
    for (const f of ["dense bias", "dense IF", "dense to_reset", "dense CuBa", "conv bias", "conv IF", "conv to_reset", "conv CuBa", "readout bias", "readout CuBa"])
      expect(seen, f).toContain(f);
    // Every bias tensor is one of the trained tensors, so the gradient check above covers ∇b.
    const net = networkOf(SPECS[0][1]());
    expect(weightTensors(net).some((w) => w.role === "bias")).toBe(true);
  });
});
