// Rules on recurrent layers and the spiking readout that the schema cannot express: R's init only
// with recurrence, spike-count logits only with a spiking readout (and a spiking readout only with
// them), neuron fields and recurrence on a readout only when it spikes (docs/design.md §2).

import { resolveNeuron } from "./defaults.ts";
import { pointerOf, type Finding } from "./problem.ts";
import type { NetworkSpec } from "./types.ts";

export function checkRecurrence(spec: NetworkSpec): Finding[] {
  const found: Finding[] = [];
  spec.layers.forEach((layer, index) => {
    const at = (...path: (string | number)[]) => pointerOf("layers", index, ...path);
    if (layer.kind !== "dense" && layer.kind !== "readout") return;
    if (layer.recurrent_init !== undefined && layer.recurrent !== true)
      found.push({ pointer: at("recurrent_init"), message: "recurrent_init is set but the layer is not recurrent", hint: `add "recurrent": true or remove recurrent_init` });
    if (layer.kind !== "readout") return;
    if (layer.spiking === true) {
      const n = resolveNeuron(spec.neuron, layer.neuron);
      if (layer.neuron && (layer.neuron.v_th !== undefined || layer.neuron.v_reset !== undefined) && !(n.v_th > n.v_reset))
        found.push({
          pointer: at("neuron", layer.neuron.v_th !== undefined ? "v_th" : "v_reset"),
          message: `v_th (${n.v_th}) must be greater than v_reset (${n.v_reset})`,
          hint: "a spike subtracts v_th − v_reset from the membrane",
        });
      if (layer.input_scale === "one_minus_alpha" && resolveNeuron(spec.neuron, layer.neuron).leak === false)
        found.push({ pointer: at("input_scale"), message: `"one_minus_alpha" scales the input by 1 − α, which is 0 for a readout without leak`, hint: `use "input_scale": "one" or remove "leak": false` });
      if (layer.logits !== undefined && layer.logits !== "spike_count")
        found.push({ pointer: at("logits"), message: `a spiking readout reads its logits as spike counts, got "${layer.logits}"`, hint: `use "logits": "spike_count" or remove it` });
      return;
    }
    if (layer.logits === "spike_count")
      found.push({ pointer: at("logits"), message: `"spike_count" logits need a spiking readout`, hint: `add "spiking": true, or use "max" or "sum"` });
    if (layer.recurrent === true)
      found.push({ pointer: at("recurrent"), message: "only a spiking readout may be recurrent", hint: `add "spiking": true or remove "recurrent"` });
    if (layer.neuron !== undefined)
      found.push({ pointer: at("neuron"), message: "neuron parameters apply only to a spiking readout", hint: `add "spiking": true, or set the readout's tau_ms and v_rest` });
  });
  return found;
}
