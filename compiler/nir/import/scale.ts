// Scale multiplies its input elementwise. snnc has no layer for it, so it is folded into the
// weight node next to it: after a Linear/Affine it scales each output row, before one each input
// column (after it, its bias too); next to a Conv2d only a single factor folds. Anywhere else it
// is refused.

import type { NodeImporter } from "./node-importer.ts";

export const scale: NodeImporter = {
  type: "Scale",
  import(name, node, ctx) {
    const s = ctx.array(name, node, "scale").data;
    const syn = ctx.synapse;
    if (ctx.readoutNode) ctx.fail(name, node, `follows the readout "${ctx.readoutNode}"; the LI readout must be the last node before Output`);
    if (syn) {
      if (syn.kind === "conv") {
        if (s.some((x) => x !== s[0])) ctx.fail(name, node, `follows the Conv2d "${syn.node}" with factors that differ; only one factor for all can be folded into a convolution`);
        for (let k = 0; k < syn.weight.length; k++) syn.weight[k] *= s[0];
        if (syn.bias) for (let f = 0; f < syn.bias.length; f++) syn.bias[f] *= s[0];
        return;
      }
      if (s.length !== 1 && s.length !== syn.nOut) ctx.fail(name, node, `has ${s.length} factors but "${syn.node}" has ${syn.nOut} outputs`);
      for (let j = 0; j < syn.nOut; j++) for (let i = 0; i < syn.nIn; i++) syn.weight[j * syn.nIn + i] *= s.length === 1 ? s[0] : s[j];
      if (syn.bias) for (let j = 0; j < syn.nOut; j++) syn.bias[j] *= s.length === 1 ? s[0] : s[j];
      return;
    }
    if (ctx.scaleBefore) ctx.fail(name, node, `follows the Scale "${ctx.scaleBefore.node}"; two Scale nodes in a row are not supported`);
    ctx.scaleBefore = { node: name, scale: Float64Array.from(s) };
  },
};
