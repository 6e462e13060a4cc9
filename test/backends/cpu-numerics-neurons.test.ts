// The CPU backend against the float64 reference on networks with the neuron options beyond the
// paper's LIF (docs/design.md §2): trained biases (dense, conv per filter, readout), no leak
// (integrate-and-fire), resets to_reset and subtract_same_step, CuBa synapses (hidden layers
// and the readout) and ALIF's adaptive threshold, mixed.
// The sparse backward must equal truncated-surrogate BPTT and the dense one full BPTT (1e-4
// relative), with identical spikes. Each spec builds an addon, so the list (test/support/
// neuron-specs.ts, shared with the GPU check) is kept short.

import { describe, expect, it } from "vitest";
import { biasOf, spikingLayers, weightTensors } from "../../compiler/ir/layers.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { buildModel } from "../support/build-model.ts";
import { NEURON_SPECS } from "../support/neuron-specs.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";


/** Which options a network actually uses, for the coverage test below. */
function features(net: Network): Set<string> {
  const out = new Set<string>();
  for (const l of spikingLayers(net)) {
    const kind = l.kind;
    if (biasOf(l)) out.add(`${kind} bias`);
    if (!l.neuron.leak) out.add(`${kind} IF`);
    if (l.neuron.reset !== "subtract") out.add(`${kind} ${l.neuron.reset}`);
    if (l.neuron.model === "cuba-lif") out.add(`${kind} CuBa`);
    if (l.neuron.model === "alif") out.add(`${kind} ALIF`);
  }
  const ro = net.layers[net.layers.length - 1];
  if (ro.kind === "readout") {
    if (biasOf(ro)) out.add("readout bias");
    if (ro.synapse) out.add("readout CuBa");
  }
  return out;
}

describe("CPU backend matches the float64 reference with bias, IF, reset modes and CuBa", () => {
  for (const { name, spec, seed, density } of NEURON_SPECS) {
    it(name, async () => {
      const { net, addon } = await buildModel(spec());
      const r = checkNumerics(net, addon, seed, density);
      expectMatchesReference(r);
      expect(r.activeFraction).toBeGreaterThan(0);
    });
  }

  it("the list covers every option on dense and conv layers and the readout", async () => {
    const { networkOf } = await import("../support/build-model.ts");
    const seen = new Set(NEURON_SPECS.flatMap((c) => [...features(networkOf(c.spec()))]));
    for (const f of ["dense bias", "dense IF", "dense to_reset", "dense subtract_same_step", "dense CuBa", "conv bias", "conv IF", "conv to_reset", "conv subtract_same_step", "conv CuBa", "dense ALIF", "conv ALIF", "readout bias", "readout CuBa"])
      expect(seen, f).toContain(f);
    // Every bias tensor is one of the trained tensors, so the gradient check above covers ∇b.
    const net = networkOf(NEURON_SPECS[0].spec());
    expect(weightTensors(net).some((w) => w.role === "bias")).toBe(true);
  });
});
