// The IR verifier: each invariant, broken by hand on a lowered network, is caught with a message
// naming it. A failure here is a compiler bug, so the message says "internal error".

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { IrError, verifyNetwork } from "../../compiler/ir/verify.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";

const MODELS = join(import.meta.dirname, "..", "..", "models");
const tiny = lowerSpec(loadSpecOrThrow(join(MODELS, "tiny.json")).spec);
const conv = lowerSpec(loadSpecOrThrow(join(MODELS, "fmnist-conv.json")).spec);

// Loosely typed on purpose: these are exactly the networks the types would not admit.
type Breaker = (net: any) => void;

const cases: [string, Network, Breaker, RegExp][] = [
  ["fewer than 2 steps", tiny, (n) => (n.steps = 1), /steps 1 < 2/],
  ["a fractional step count", tiny, (n) => (n.steps = 10.5), /steps 10.5/],
  ["Δt ≤ 0", tiny, (n) => (n.dtMs = 0), /dt 0 ≤ 0/],
  ["no layers", tiny, (n) => (n.layers = []), /no layers/],
  ["a last layer that is not the readout", tiny, (n) => n.layers.pop(), /last layer is not the readout/],
  ["classes ≠ readout size", tiny, (n) => (n.classes = 4), /classes differs from the readout size/],
  ["an id that does not match the index", tiny, (n) => (n.layers[1].id = "l7"), /layer l7: id does not match index 1/],
  ["an input shape ≠ the previous output", tiny, (n) => (n.layers[1].inShape = [9]), /layer l2: input shape 9 ≠ previous output 8/],
  ["nIn disagreeing with the shape", tiny, (n) => (n.layers[0].nIn = 13), /layer l1: nIn\/nOut disagree with shapes/],
  ["a zero output dimension", tiny, (n) => ((n.layers[0].outShape = [0]), (n.layers[0].nOut = 0)), /layer l1: output shape 0/],
  [
    "a readout before the end",
    tiny,
    (n) => (n.layers[1] = { ...n.layers[2], id: "l2", index: 1, inShape: [8], nIn: 8, outShape: [6], nOut: 6 }),
    /layer l2: readout before the end/,
  ],
  ["a hidden α ≥ 1", tiny, (n) => (n.layers[0].neuron.alpha = 1), /layer l1: α = 1 outside \(0, 1\)/],
  ["a hidden α ≤ 0", tiny, (n) => (n.layers[1].neuron.alpha = 0), /layer l2: α = 0 outside/],
  ["a reset amount ≠ V_th − V_r", tiny, (n) => (n.layers[0].neuron.resetAmount = 0.5), /layer l1: reset amount ≠ V_th − V_r/],
  ["B_th ≤ 0", tiny, (n) => (n.layers[0].neuron.bTh = 0), /layer l1: B_th ≤ 0/],
  ["a readout α outside (0, 1)", tiny, (n) => (n.layers[2].alpha = 1.5), /layer l3: α = 1.5 outside/],
  ["a readout input scale that disagrees with its mode", tiny, (n) => (n.layers[2].inputScaleMode = "one_minus_alpha"), /layer l3: input scale 1 ≠ 0.09/],
  ["a dense weight size ≠ nIn·nOut", tiny, (n) => (n.layers[0].weights[0].size = 95), /layer l1: weight size ≠ nIn·nOut/],
  ["a conv weight size ≠ filters·C·k·k", conv, (n) => (n.layers[0].weights[0].size = 575), /layer l1: conv weight size/],
  ["an init bound ≤ 0", tiny, (n) => (n.layers[1].weights[0].init.bound = 0), /layer l2: w2 init bound ≤ 0/],
  ["a conv α outside (0, 1)", conv, (n) => (n.layers[0].neuron.alpha = -0.5), /layer l1: α = -0.5/],
];

describe("verifyNetwork", () => {
  it("accepts the lowered networks", () => {
    expect(() => verifyNetwork(tiny)).not.toThrow();
    expect(() => verifyNetwork(conv)).not.toThrow();
  });

  it.each(cases)("rejects %s", (_what, base, breakIt, message) => {
    const net = structuredClone(base);
    breakIt(net);
    let caught: unknown;
    try {
      verifyNetwork(net);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IrError);
    const text = (caught as Error).message;
    expect(text).toMatch(/^internal error: IR of "(tiny|fmnist-conv)" is invalid: /);
    expect(text).toMatch(message);
  });
});
