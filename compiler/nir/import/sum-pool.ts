// SumPool2d over a [C, H, W] (or [H, W]) signal: snnc's sum-pool has a square window, stride
// equal to the window and no padding (docs/design.md §2); anything else is refused. Rows and
// columns that do not fill a window are dropped (floor), as in PyTorch.

import { formatShape } from "../graph.ts";
import type { NodeImporter } from "./node-importer.ts";

export const sumPool: NodeImporter = {
  type: "SumPool2d",
  import(name, node, ctx) {
    ctx.expectNoPending(name, node);
    const s = ctx.shape;
    if (s.length !== 3 && s.length !== 2) ctx.fail(name, node, `its input has shape ${formatShape(s)}; a SumPool2d needs [C, H, W] or [H, W]`);
    const [c, h, w] = s.length === 3 ? s : [1, s[0], s[1]];
    const [kh, kw] = ctx.ints(name, node, "kernel_size", 2);
    if (kh !== kw || kh < 1) ctx.fail(name, node, `kernel_size [${kh}, ${kw}]: snnc's sum-pool has a square window`);
    const [sh, sw] = ctx.ints(name, node, "stride", 2, kh);
    if (sh !== kh || sw !== kw) ctx.fail(name, node, `stride [${sh}, ${sw}] differs from kernel_size [${kh}, ${kw}]; snnc's sum-pool has stride equal to its window`);
    const pad = ctx.ints(name, node, "padding", 2, 0);
    if (pad.some((p) => p !== 0)) ctx.fail(name, node, `padding ${formatShape(pad)}: snnc's sum-pool has no padding`);
    if (h < kh || w < kh) ctx.fail(name, node, `window ${kh}×${kh} does not fit its ${h}×${w} input`);
    ctx.addLayer(name, { kind: "sumpool", size: kh });
    ctx.shape = [c, Math.floor(h / kh), Math.floor(w / kh)];
  },
};
