// Short descriptions of a network shared by the commands: the one-line summary `snnc validate`
// prints and the layer labels of `snnc inspect`.

import type { Layer, Network } from "../../compiler/ir/types.ts";

/** "fmnist: 784 → 200 → 200 → 10, T=100"; shaped layers print their shape (1×28×28 → conv 64×28×28 …). */
export function networkSummary(net: Network): string {
  const dims = (shape: number[]) => shape.join("×");
  const input = net.input.shape.length === 1 ? `${net.input.size}` : dims(net.input.shape);
  const parts = [input];
  for (const l of net.layers) {
    switch (l.kind) {
      case "dense":
      case "readout":
        parts.push(`${l.nOut}`);
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

/** "dense", "conv 3×3 s1 p1", "maxpool 2", "flatten", "readout (max)". */
export function layerLabel(l: Layer): string {
  switch (l.kind) {
    case "dense":
      return "dense LIF";
    case "conv":
      return `conv LIF ${l.kernel}×${l.kernel} s${l.stride} p${l.padding}`;
    case "maxpool":
      return `maxpool ${l.size}`;
    case "sumpool":
      return `sumpool ${l.size} (spike counts)`;
    case "flatten":
      return "flatten";
    case "readout":
      return `readout (${l.logits})`;
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
