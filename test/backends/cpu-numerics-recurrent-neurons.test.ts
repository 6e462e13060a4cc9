// The CPU backend against the float64 reference on recurrence and spiking readouts combined with
// bias, no leak, both resets and CuBa synapses (test/support/recurrent-neuron-specs.ts). Spikes
// identical, sparse gradients == truncated-surrogate BPTT, dense == full BPTT (1e-4 relative). Each
// spec builds an addon, so the list is short.

import { describe, expect, it } from "vitest";
import { biasOf, recurrentWeight, spikingLayers } from "../../compiler/ir/layers.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { buildModel, networkOf } from "../support/build-model.ts";
import { RECURRENT_NEURON_SPECS } from "../support/recurrent-neuron-specs.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

/** The combinations a network uses, named "<where> <what>" (where: recurrent, hidden, spiking readout, readout). */
function features(net: Network): Set<string> {
  const out = new Set<string>();
  for (const l of spikingLayers(net)) {
    const where = l.kind === "readout" ? "spiking readout" : recurrentWeight(l) ? "recurrent" : "hidden";
    if (l.kind === "readout" && recurrentWeight(l)) out.add("spiking readout recurrent");
    if (biasOf(l)) out.add(`${where} bias`);
    if (!l.neuron.leak) out.add(`${where} IF`);
    out.add(`${where} ${l.neuron.reset === "to_reset" ? "to_reset" : "subtract"}`);
    out.add(`${where} ${l.neuron.model === "cuba-lif" ? "CuBa" : l.neuron.model === "alif" ? "ALIF" : "plain"}`);
  }
  const ro = net.layers[net.layers.length - 1];
  if (ro.kind === "readout" && !ro.neuron) {
    if (biasOf(ro)) out.add("readout bias");
    if (ro.synapse) out.add("readout CuBa");
  }
  return out;
}

describe("CPU backend matches the float64 reference on recurrence with the neuron options", () => {
  for (const { name, spec, seed, density } of RECURRENT_NEURON_SPECS) {
    it(name, async () => {
      const { net, addon } = await buildModel(spec());
      const r = checkNumerics(net, addon, seed, density);
      expectMatchesReference(r);
      // Every spiking layer (a spiking readout included) has active neuron-times: gradient flows through each.
      expect(r.activeFractions.length).toBe(spikingLayers(net).length);
      for (const a of r.activeFractions) expect(a).toBeGreaterThan(0);
    });
  }

  it("the list covers each option on recurrent layers and on spiking readouts", () => {
    const seen = new Set(RECURRENT_NEURON_SPECS.flatMap((c) => [...features(networkOf(c.spec()))]));
    const want = ["bias", "IF", "to_reset", "subtract", "CuBa", "ALIF", "plain"].flatMap((f) => [`recurrent ${f}`, `spiking readout ${f}`]);
    for (const f of [...want, "spiking readout recurrent", "readout bias", "readout CuBa"]) expect(seen, f).toContain(f);
  });
});
