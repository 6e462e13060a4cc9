// The readout: Linear (Affine with a bias) then LI, or CubaLI with CuBa synapses (w_in =
// 1/(1 − α_syn), a per-step gain of 1). input_scale "one_minus_alpha" is NIR's r = 1 exactly;
// "one" is r = 1/(1 − α), a per-step gain of 1. A spiking readout is written as a hidden layer's
// neuron node (LIF, IF or CubaLIF, lif-node.ts), with r = 1 when its input scale is (1 − α), and
// its recurrence as a hidden layer's (dense.ts).

import type { ReadoutLayer } from "../../ir/types.ts";
import { nirTauS, unitGainR } from "../conventions.ts";
import { addRecurrence, weightNode } from "./dense.ts";
import type { LayerExporter } from "./layer-exporter.ts";
import { where } from "./layer-exporter.ts";
import { fill, lifNode } from "./lif-node.ts";
import { NirError } from "../graph.ts";

export const readout: LayerExporter<ReadoutLayer> = {
  kind: "readout",
  export(layer, w, ctx, bias, recurrent) {
    const k = layer.index + 1;
    const dt = ctx.network.dtMs;
    const shape = [layer.nOut];
    ctx.add(`w${k}`, weightNode(w!, bias, layer.nIn, layer.nOut));
    if (layer.neuron) {
      const node = lifNode(layer.neuron, shape, dt, ctx.conventions, where(layer));
      if (layer.inputScaleMode === "one_minus_alpha") {
        // Validation refuses (1 − α) without leak (it is 0), so an IF node never gets here.
        if (node.type === "IF") throw new Error(`internal error: ${where(layer)} has no leak and input_scale one_minus_alpha`);
        node.params.r = fill(shape, 1);
      }
      ctx.add(`l${k}`, node);
      addRecurrence(ctx, k, recurrent, layer.nOut);
      return;
    }
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
