// Conv2d: weight [F, C, k, k] with equal stride and padding in both directions, dilation 1 and
// groups 1 (what snnc's conv layer is). The per-filter bias (size 1 broadcasts) is kept for the
// neuron node after it, which scales it like the weights (lif.ts).

import { formatShape, type NirNode } from "../graph.ts";
import type { ImportContext } from "./context.ts";
import type { NodeImporter } from "./node-importer.ts";

function spatial(name: string, node: NirNode, ctx: ImportContext): [number, number, number] {
  const s = ctx.shape;
  if (s.length === 3) return [s[0], s[1], s[2]];
  if (s.length === 2) return [1, s[0], s[1]];
  ctx.fail(name, node, `its input has shape ${formatShape(s)}; a Conv2d needs [C, H, W] or [H, W]`);
}

function padding(name: string, node: NirNode, ctx: ImportContext, kernel: number, stride: number): number {
  const p = node.params.padding;
  if (typeof p === "string") {
    if (p === "valid") return 0;
    if (p === "same" && stride === 1 && kernel % 2 === 1) return (kernel - 1) / 2;
    ctx.fail(name, node, `padding "${p}" is not supported with kernel ${kernel} and stride ${stride}; give it as numbers`);
  }
  const [ph, pw] = ctx.ints(name, node, "padding", 2, 0);
  if (ph !== pw || ph < 0) ctx.fail(name, node, `padding [${ph}, ${pw}]: snnc's conv layers pad both directions alike`);
  return ph;
}

export const conv2d: NodeImporter = {
  type: "Conv2d",
  import(name, node, ctx, previous) {
    ctx.expectNoPending(name, node);
    const w = ctx.array(name, node, "weight");
    if (w.shape.length !== 4) ctx.fail(name, node, `weight has shape ${formatShape(w.shape)}; expected [out channels, in channels, kH, kW]`);
    const [filters, channels, kh, kw] = w.shape;
    const [c, h, wd] = spatial(name, node, ctx);
    if (channels !== c) ctx.fail(name, node, `weight has shape ${formatShape(w.shape)} but its input "${previous}" has ${c} channel${c === 1 ? "" : "s"} ${formatShape(ctx.shape)}`);
    if (kh !== kw) ctx.fail(name, node, `kernel ${kh}×${kw} is not square; snnc's conv layers have k×k kernels`);
    const [sh, sw] = ctx.ints(name, node, "stride", 2, 1);
    if (sh !== sw || sh < 1) ctx.fail(name, node, `stride [${sh}, ${sw}]: snnc's conv layers use one positive stride in both directions`);
    const pad = padding(name, node, ctx, kh, sh);
    const dilation = ctx.ints(name, node, "dilation", 2, 1);
    if (dilation.some((d) => d !== 1)) ctx.fail(name, node, `dilation ${formatShape(dilation)}: snnc's conv layers are not dilated`);
    const [groups] = ctx.ints(name, node, "groups", 1, 1);
    if (groups !== 1) ctx.fail(name, node, `groups = ${groups}: snnc's conv layers connect every input channel (groups 1)`);
    const b = ctx.optionalArray(name, node, "bias");
    if (b && b.data.length !== 1 && b.data.length !== filters) ctx.fail(name, node, `bias has ${b.data.length} values but the weight has ${filters} filters`);
    const bias = b === null ? null : b.data.length === 1 ? new Float64Array(filters).fill(b.data[0]) : Float64Array.from(b.data);
    const given = ctx.optionalArray(name, node, "input_shape");
    if (given) {
      const g = [...given.data];
      const ok = (g.length === 2 && g[0] === h && g[1] === wd) || (g.length === 3 && g[0] === c && g[1] === h && g[2] === wd);
      if (!ok) ctx.fail(name, node, `input_shape ${formatShape(g)} does not match its input "${previous}" of shape ${formatShape([c, h, wd])}`);
    }
    const oh = Math.floor((h + 2 * pad - kh) / sh) + 1;
    const ow = Math.floor((wd + 2 * pad - kh) / sh) + 1;
    if (oh < 1 || ow < 1) ctx.fail(name, node, `kernel ${kh} with padding ${pad} does not fit its ${h}×${wd} input`);
    const weight = Float64Array.from(w.data);
    const pre = ctx.scaleBefore;
    if (pre) {
      if (pre.scale.some((x) => x !== pre.scale[0]))
        ctx.fail(pre.node, { type: "Scale", params: {} }, `precedes the Conv2d "${name}" with factors that differ; only one factor for all can be folded into a convolution`);
      for (let k = 0; k < weight.length; k++) weight[k] *= pre.scale[0];
      ctx.scaleBefore = null;
    }
    const outShape = [filters, oh, ow];
    ctx.synapse = { node: name, kind: "conv", filters, channels, kernel: kh, stride: sh, padding: pad, outShape, weight, bias };
    ctx.shape = outShape;
  },
};
