// snnc spec and weights → NIR graph (pure: runtime/nir/nir-file.ts writes it). Input, then each
// layer's nodes from its kind's module (export/), then Output; parameters as full arrays. The
// graph's metadata records dt, the discretisation, the reset and the IF gain the file was written
// for, and the spec as its file wrote it (readers must not depend on it; snnc's import restores
// training settings from it).

import { lowerSpec } from "../ir/lower.ts";
import { biasOf, isWeighted, feedforward, recurrentWeight } from "../ir/layers.ts";
import type { WeightTensor } from "../ir/types.ts";
import type { NetworkSpec, ResolvedSpec } from "../spec/types.ts";
import { checkConventions, type Conventions } from "./conventions.ts";
import { nirArray, scalar, type NirGraph } from "./graph.ts";
import { ExportContext } from "./export/context.ts";
import { layerExporter } from "./export/index.ts";
import { SPEC_KEY } from "./import/snnc-metadata.ts";

/** `written`: the spec as its file wrote it (default: `spec`), recorded so that snnc's import can
 *  give back that text rather than every default made explicit. */
export function exportNir(spec: ResolvedSpec, weights: ReadonlyMap<string, Float32Array>, c: Conventions, written: NetworkSpec = spec): NirGraph {
  checkConventions(c);
  const network = lowerSpec(spec);
  const ctx = new ExportContext(network, c, weights);
  ctx.add("input", { type: "Input", params: { shape: nirArray(spec.input.shape, [spec.input.shape.length], "i64") } });
  for (const layer of network.layers) {
    let w: Float32Array | null = null;
    let b: Float32Array | null = null;
    let r: Float32Array | null = null;
    if (isWeighted(layer)) {
      const tensor = (t: WeightTensor) => {
        const x = weights.get(t.name);
        if (!x || x.length !== t.size) throw new Error(`internal error: weights ${t.name} missing or of the wrong size`);
        return x;
      };
      w = tensor(feedforward(layer));
      const bt = biasOf(layer);
      b = bt ? tensor(bt) : null;
      const rt = recurrentWeight(layer);
      r = rt ? tensor(rt) : null;
      // Every exporter that can meet a recurrent layer writes its cycle; anything else would drop R.
      if (r && layer.kind !== "dense" && layer.kind !== "readout") throw new Error(`internal error: recurrent ${layer.kind} layer`);
    }
    layerExporter(layer.kind).export(layer, w, ctx, b, r);
  }
  ctx.add("output", { type: "Output", params: { shape: nirArray([network.classes], [1], "i64") } });
  return {
    nodes: ctx.nodes,
    edges: ctx.edges,
    metadata: {
      dt_ms: scalar(c.dtMs),
      discretization: c.discretization,
      reset: c.reset,
      if_gain: c.ifGain ?? "literal",
      // r = 1/(1 − α) and w_in = 1/(1 − α_syn): read NIR's way, the per-step gain is 1.
      input_gain: "nir",
      [SPEC_KEY]: JSON.stringify(written),
    },
  };
}
