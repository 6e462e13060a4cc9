// snnc spec and weights → NIR graph (pure: runtime/nir/nir-file.ts writes it). Input, then each
// layer's nodes from its kind's module (export/), then Output; parameters as full arrays. The
// graph's metadata records dt, the discretisation and the reset the file was written for, and the
// resolved spec (readers must not depend on it; snnc's import restores training settings from it).

import { lowerSpec } from "../ir/lower.ts";
import { isWeighted, feedforward } from "../ir/layers.ts";
import type { ResolvedSpec } from "../spec/types.ts";
import { checkConventions, type Conventions } from "./conventions.ts";
import { nirArray, NirError, scalar, type NirGraph } from "./graph.ts";
import { ExportContext } from "./export/context.ts";
import { layerExporter } from "./export/index.ts";
import { SPEC_KEY } from "./import/snnc-metadata.ts";

export function exportNir(spec: ResolvedSpec, weights: ReadonlyMap<string, Float32Array>, c: Conventions): NirGraph {
  checkConventions(c);
  const network = lowerSpec(spec);
  const ctx = new ExportContext(network, c);
  ctx.add("input", { type: "Input", params: { shape: nirArray(spec.input.shape, [spec.input.shape.length], "i64") } });
  for (const layer of network.layers) {
    let w: Float32Array | null = null;
    if (isWeighted(layer)) {
      // Until the Affine/Conv2d bias export lands, a bias would be dropped silently: refuse it.
      if (layer.weights.some((t) => t.role !== "feedforward"))
        throw new NirError(`layer ${layer.id} (${layer.kind}) has a ${layer.weights.find((t) => t.role !== "feedforward")!.role} tensor, which snnc cannot export to NIR yet`);
      const t = feedforward(layer);
      w = weights.get(t.name) ?? null;
      if (!w || w.length !== t.size) throw new Error(`internal error: weights ${t.name} missing or of the wrong size`);
    }
    layerExporter(layer.kind).export(layer, w, ctx);
  }
  ctx.add("output", { type: "Output", params: { shape: nirArray([network.classes], [1], "i64") } });
  return {
    nodes: ctx.nodes,
    edges: ctx.edges,
    metadata: {
      dt_ms: scalar(c.dtMs),
      discretization: c.discretization,
      reset: c.reset,
      [SPEC_KEY]: JSON.stringify(spec),
    },
  };
}
