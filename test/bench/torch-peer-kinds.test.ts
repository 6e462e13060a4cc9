// The PyTorch peer of `snnc bench` models plain dense layers and a non-spiking readout only: a
// recurrent layer or a spiking readout is refused with one sentence, never timed as another network.

import { describe, expect, it } from "vitest";
import { peerUnsupported } from "../../runtime/bench/torch-peer.ts";
import { networkOf } from "../support/build-model.ts";
import { randomSpec } from "../support/random-spec.ts";

describe("PyTorch peer coverage", () => {
  it("takes a plain dense network", () => {
    expect(peerUnsupported(networkOf("models/tiny.json"))).toBeUndefined();
  });

  it("refuses a recurrent layer and a spiking readout", () => {
    expect(peerUnsupported(networkOf("models/shd-recurrent.json"))).toBe("PyTorch peer skipped: it has no recurrent layers (shd-recurrent's l1 is recurrent)");
    const spiking = networkOf(randomSpec(13, { spikingReadout: true }));
    const ro = spiking.layers[spiking.layers.length - 1];
    expect(peerUnsupported(spiking)).toBe(`PyTorch peer skipped: it has no spiking readout (${spiking.name}'s ${ro.id} spikes)`);
  });
});
