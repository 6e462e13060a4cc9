// The IR verifier: invariants every later stage relies on. It runs after lowering (and in the
// tests after every change to lowering); a failure here is a compiler bug, not a user error.

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
    if (layer.nIn !== size(layer.inShape) || layer.nOut !== size(layer.outShape))
      fail(`${where}: nIn/nOut disagree with shapes`);
    for (const d of layer.outShape) if (!Number.isInteger(d) || d < 1) fail(`${where}: output shape ${layer.outShape}`);
    if (layer.kind === "readout" && layer !== last) fail(`${where}: readout before the end`);
    if (layer.kind === "dense" || layer.kind === "conv") {
      const p = layer.lif;
      if (!(p.alpha > 0 && p.alpha < 1)) fail(`${where}: α = ${p.alpha} outside (0, 1)`);
      if (Math.abs(p.resetAmount - (p.vTh - p.vReset)) > 1e-12) fail(`${where}: reset amount ≠ V_th − V_r`);
      if (!(p.bTh > 0)) fail(`${where}: B_th ≤ 0`);
    }
    if (layer.kind === "readout") {
      if (!(layer.alpha > 0 && layer.alpha < 1)) fail(`${where}: α = ${layer.alpha} outside (0, 1)`);
      const want = layer.inputScaleMode === "one_minus_alpha" ? 1 - layer.alpha : 1;
      if (layer.inputScale !== want) fail(`${where}: input scale ${layer.inputScale} ≠ ${want}`);
    }
    if (layer.kind === "dense" || layer.kind === "readout") {
      if (layer.weight.size !== layer.nIn * layer.nOut) fail(`${where}: weight size ≠ nIn·nOut`);
    }
    if (layer.kind === "conv") {
      const [c] = layer.inShape;
      if (layer.weight.size !== layer.filters * c * layer.kernel * layer.kernel) fail(`${where}: conv weight size`);
    }
    if ("weight" in layer && !(layer.weight.init.bound > 0)) fail(`${where}: init bound ≤ 0`);
    prevShape = layer.outShape;
  }
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
