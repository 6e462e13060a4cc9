// Short descriptions of a network shared by the commands: the one-line summary `snnc validate`
// prints and the layer labels of `snnc inspect`.

import type { Layer, Network } from "../../compiler/ir/types.ts";
import { recurrentWeight } from "../../compiler/ir/layers.ts";

/** "fmnist: 784 → 200 → 200 → 10, T=100"; shaped layers print their shape (1×28×28 → conv 64×28×28 …),
 * recurrent layers and a spiking readout say so ("700 → 128 recurrent → 20 spiking"). */
export function networkSummary(net: Network): string {
  const dims = (shape: number[]) => shape.join("×");
  const input = net.input.shape.length === 1 ? `${net.input.size}` : dims(net.input.shape);
  const parts = [input];
  for (const l of net.layers) {
    switch (l.kind) {
      case "dense":
      case "readout":
        parts.push(`${l.nOut}${l.kind === "readout" && l.neuron ? " spiking" : ""}${recurrentWeight(l) ? " recurrent" : ""}`);
        break;
      case "conv":
        parts.push(`conv ${dims(l.outShape)}`);
        break;
      case "maxpool":
        parts.push(`pool ${dims(l.outShape)}`);
        break;
      case "sumpool":
        parts.push(`sum-pool ${dims(l.outShape)}`);
        break;
      case "flatten":
        parts.push(`${l.nOut}`);
        break;
    }
  }
  return `${net.name}: ${parts.join(" → ")}, T=${net.steps}`;
}

/** "dense LIF", "dense LIF, recurrent", "conv LIF 3×3 s1 p1", "maxpool 2", "flatten", "readout (max)",
 * "spiking readout (spike_count)". */
export function layerLabel(l: Layer): string {
  switch (l.kind) {
    case "dense":
      return recurrentWeight(l) ? "dense LIF, recurrent" : "dense LIF";
    case "conv":
      return `conv LIF ${l.kernel}×${l.kernel} s${l.stride} p${l.padding}`;
    case "maxpool":
      return `maxpool ${l.size}`;
    case "sumpool":
      return `sumpool ${l.size} (spike counts)`;
    case "flatten":
      return "flatten";
    case "readout":
      return `${l.neuron ? "spiking readout" : "readout"} (${l.logits})${recurrentWeight(l) ? ", recurrent" : ""}`;
  }
}

export function shapeText(shape: number[]): string {
  return `[${shape.join(", ")}]`;
}

/** 9 significant digits, trailing zeros kept off: 0.904837418, 1, 0.2. */
export function sig9(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(9)));
}
