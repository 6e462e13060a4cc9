// The readout: Linear then LI. input_scale "one_minus_alpha" is NIR's r = 1 exactly; "one" is
// r = 1/(1 − α), a per-step gain of 1. A spiking readout (when it lands) writes a LIF instead.

import type { ReadoutLayer } from "../../ir/types.ts";
import { nirTauS, unitGainR } from "../conventions.ts";
import { nirArray, NirError } from "../graph.ts";
import { linearWeight } from "./dense.ts";
import type { LayerExporter } from "./layer-exporter.ts";
import { fill } from "./lif-node.ts";

export const readout: LayerExporter<ReadoutLayer> = {
  kind: "readout",
  export(layer, w, ctx) {
    if (layer.neuron) throw new NirError(`layer ${layer.id} (readout): a spiking readout has no NIR export yet`);
    if (layer.synapse) throw new NirError(`layer ${layer.id} (readout): a readout with CuBa synapses has no NIR export yet`);
    const k = layer.index + 1;
    const dt = ctx.network.dtMs;
    const shape = [layer.nOut];
    ctx.add(`w${k}`, { type: "Linear", params: { weight: nirArray(linearWeight(w!, layer.nIn, layer.nOut), [layer.nOut, layer.nIn], "f32") } });
    ctx.add(`l${k}`, {
      type: "LI",
      params: {
        tau: fill(shape, nirTauS(layer.tauMs, dt, ctx.conventions)),
        r: fill(shape, layer.inputScaleMode === "one_minus_alpha" ? 1 : unitGainR(layer.tauMs, dt)),
        v_leak: fill(shape, layer.vRest),
      },
    });
  },
};
