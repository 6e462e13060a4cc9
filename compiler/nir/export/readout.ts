// The readout: Linear (Affine with a bias) then LI, or CubaLI with CuBa synapses (w_in =
// 1/(1 − α_syn), a per-step gain of 1). input_scale "one_minus_alpha" is NIR's r = 1 exactly;
// "one" is r = 1/(1 − α), a per-step gain of 1. A spiking readout (when it lands) writes a LIF.

import type { ReadoutLayer } from "../../ir/types.ts";
import { nirTauS, unitGainR } from "../conventions.ts";
import { weightNode } from "./dense.ts";
import type { LayerExporter } from "./layer-exporter.ts";
import { fill } from "./lif-node.ts";
import { NirError } from "../graph.ts";

export const readout: LayerExporter<ReadoutLayer> = {
  kind: "readout",
  export(layer, w, ctx, bias) {
    if (layer.neuron) throw new NirError(`layer ${layer.id} (readout): a spiking readout has no NIR export yet`);
    const k = layer.index + 1;
    const dt = ctx.network.dtMs;
    const shape = [layer.nOut];
    ctx.add(`w${k}`, weightNode(w!, bias, layer.nIn, layer.nOut));
    const r = fill(shape, layer.inputScaleMode === "one_minus_alpha" ? 1 : unitGainR(layer.tauMs, dt));
    const tau = fill(shape, nirTauS(layer.tauMs, dt, ctx.conventions));
    const vLeak = fill(shape, layer.vRest);
    if (layer.synapse) {
      const syn = layer.synapse;
      ctx.add(`l${k}`, {
        type: "CubaLI",
        params: { tau_syn: fill(shape, nirTauS(syn.tauSynMs, dt, ctx.conventions)), tau_mem: tau, r, v_leak: vLeak, w_in: fill(shape, unitGainR(syn.tauSynMs, dt)) },
      });
    } else ctx.add(`l${k}`, { type: "LI", params: { tau, r, v_leak: vLeak } });
  },
};
