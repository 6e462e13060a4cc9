// The IR verifier: invariants every later stage relies on. It runs after lowering (and in the
// tests after every change to lowering); a failure here is a compiler bug, not a user error.

import { layerKind } from "../layers/index.ts";
import { isWeighted, shapeSize } from "./layers.ts";
import type { Network } from "./types.ts";

export class IrError extends Error {}

export function verifyNetwork(net: Network): void {
  const fail = (msg: string): never => {
    throw new IrError(`internal error: IR of "${net.name}" is invalid: ${msg}`);
  };
  if (!Number.isInteger(net.steps) || net.steps < 2) fail(`steps ${net.steps} < 2`);
  if (!(net.dtMs > 0)) fail(`dt ${net.dtMs} ≤ 0`);
  if (net.layers.length === 0) fail("no layers");
  const last = net.layers[net.layers.length - 1];
  if (last.kind !== "readout") fail("last layer is not the readout");
  if (net.classes !== last.nOut) fail("classes differs from the readout size");

  let prevShape = net.input.shape;
  for (const layer of net.layers) {
    const where = `layer ${layer.id}`;
    if (layer.id !== `l${layer.index + 1}`) fail(`${where}: id does not match index ${layer.index}`);
    if (layer.inShape.join("x") !== prevShape.join("x"))
      fail(`${where}: input shape ${layer.inShape} ≠ previous output ${prevShape}`);
    if (layer.nIn !== shapeSize(layer.inShape) || layer.nOut !== shapeSize(layer.outShape))
      fail(`${where}: nIn/nOut disagree with shapes`);
    for (const d of layer.outShape) if (!Number.isInteger(d) || d < 1) fail(`${where}: output shape ${layer.outShape}`);
    if (layer.kind === "readout" && layer !== last) fail(`${where}: readout before the end`);
    layerKind(layer.kind).verify(layer, (msg) => fail(`${where}: ${msg}`));
    if (isWeighted(layer))
      for (const w of layer.weights) {
        if (w.size !== shapeSize(w.shape)) fail(`${where}: ${w.name} size ≠ its shape's`);
        if (w.init.distribution === "tau") {
          const t = w.init.tau;
          if (!t || !(t.alphaMin > 0 && t.alphaMin < t.alphaMax && t.alphaMax < 1)) fail(`${where}: ${w.name} is a per-neuron decay without a range inside (0, 1)`);
        } else if (w.init.distribution === "constant") {
          if (!Number.isFinite(w.init.value)) fail(`${where}: ${w.name} starts at a constant without a finite value`);
        } else if (w.init.distribution === "zeros") {
          if (w.init.bound !== 0) fail(`${where}: ${w.name} starts at zero but has init bound ${w.init.bound}`);
        } else if (!(w.init.bound > 0)) fail(`${where}: ${w.name} init bound ≤ 0`);
        if (w.role === "bias" && w.size !== (layer.kind === "conv" ? layer.filters : layer.nOut)) fail(`${where}: ${w.name} is not one bias per ${layer.kind === "conv" ? "filter" : "neuron"}`);
      }
    prevShape = layer.outShape;
  }
}

