// The IR verifier on the neuron options beyond the paper's LIF: each invariant, broken by hand on a
// lowered network that uses them, is caught with a message naming it.

import { describe, expect, it } from "vitest";
import { IrError, verifyNetwork } from "../../compiler/ir/verify.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { networkOf } from "../support/build-model.ts";
import { baseSpec } from "../spec/base-spec.ts";

const spec = baseSpec();
spec.layers = [
  { kind: "dense", size: 3, bias: true, neuron: { leak: false, reset: "to_reset" } },
  { kind: "dense", size: 2, neuron: { tau_syn_ms: 4 } },
  { kind: "readout", size: 2, bias: true, tau_syn_ms: 3 },
];
const net = networkOf(spec);

// Loosely typed on purpose: these are exactly the networks the types would not admit.
type Breaker = (n: any) => void;

const cases: [string, Breaker, RegExp][] = [
  ["a neuron without leak whose α ≠ 1", (n) => (n.layers[0].neuron.alpha = 0.9), /layer l1: a neuron without leak must have α = 1 and no τ/],
  ["a neuron without leak with a τ", (n) => (n.layers[0].neuron.tauMs = 10), /layer l1: a neuron without leak must have α = 1 and no τ/],
  ["a CuBa α_syn outside (0, 1)", (n) => (n.layers[1].neuron.alphaSyn = 1), /layer l2: α_syn = 1 outside \(0, 1\)/],
  ["a readout α_syn outside (0, 1)", (n) => (n.layers[2].synapse.alphaSyn = 0), /layer l3: α_syn = 0 outside \(0, 1\)/],
  ["a bias that is not one per neuron", (n) => ((n.layers[0].weights[1].size = 4), (n.layers[0].weights[1].shape = [4])), /layer l1: b1 is not one bias per neuron/],
  ["a zero-init bias with a bound", (n) => (n.layers[2].weights[1].init.bound = 0.5), /layer l3: b3 starts at zero but has init bound 0.5/],
];

describe("verifyNetwork on bias, IF, reset modes and CuBa", () => {
  it("accepts the lowered network", () => {
    expect(() => verifyNetwork(net)).not.toThrow();
  });

  it.each(cases)("rejects %s", (_what, breakIt, message) => {
    const broken: Network = structuredClone(net);
    breakIt(broken);
    expect(() => verifyNetwork(broken)).toThrow(IrError);
    expect(() => verifyNetwork(broken)).toThrow(message);
  });
});
