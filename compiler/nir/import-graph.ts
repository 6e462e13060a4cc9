// NIR graph → snnc spec and weights (pure: the file is read by runtime/nir/nir-file.ts). The
// graph is walked as a chain (chain.ts) and each node is handed to its type's module (import/).
// The spec comes out validated like any other, and the weights in the IR's layout by tensor name.

import { lowerSpec } from "../ir/lower.ts";
import { weightedLayers } from "../ir/layers.ts";
import { checkSpecText, formatProblem, type NetworkSpec, type ResolvedSpec } from "../spec/index.ts";
import { nirChain } from "./chain.ts";
import { checkConventions, type Conventions } from "./conventions.ts";
import { describeConventions } from "./describe-conventions.ts";
import { displayName, type Framework } from "./frameworks.ts";
import { NirError, type NirGraph } from "./graph.ts";
import { ImportContext } from "./import/context.ts";
import { NODE_IMPORTERS, NOT_YET } from "./import/index.ts";
import { omitUnwritten } from "./import/omit-unwritten.ts";
import { applyOrigin, snncOrigin } from "./import/snnc-metadata.ts";

export interface ImportOptions extends Conventions {
  /** Whose conventions these are (frameworks.ts), named in the spec's description. */
  exporter?: Framework;
  /** The spec's name (default: the exporter's, else the caller's fallback). */
  name?: string;
  fallbackName: string;
  /** Time steps (default: the exporter's, else DEFAULT_IMPORT_STEPS). */
  steps?: number;
  /** The file as the user named it, for the description. */
  source: string;
  /** A τ that varies over a layer's neurons becomes a trained per-neuron τ (default: fixed). */
  learnTau?: boolean;
}

export interface ImportResult {
  spec: NetworkSpec;
  /** Tensor name (w1, w2, …) → weights in the IR's layout. */
  weights: Map<string, Float32Array>;
  /** The file came from snnc and its training settings were restored. */
  fromSnnc: boolean;
}

/** What a graph from another tool gets where NIR says nothing (edit the spec for your data). */
export const DEFAULT_IMPORT_STEPS = 100;
export const DEFAULT_IMPORT_TRAINING = { batch: 32, epochs: 1, optimizer: { kind: "adam", lr: 1e-3 } } as const;

export function importNir(graph: NirGraph, opts: ImportOptions): ImportResult {
  checkConventions(opts);
  const { order, recurrence } = nirChain(graph);
  const ctx = new ImportContext(opts);
  ctx.learnTau = opts.learnTau === true;
  for (const [target, w] of recurrence) ctx.recurrence.set(target, { node: w, weight: graph.nodes.get(w)! });
  order.forEach((name, k) => {
    ctx.beforeOutput = graph.nodes.get(order[k + 1] ?? "")?.type === "Output";
    const node = graph.nodes.get(name)!;
    const importer = NODE_IMPORTERS.get(node.type);
    if (!importer) {
      const why = NOT_YET[node.type];
      throw new NirError(why ? `node "${name}" (${node.type}): ${why}` : `node "${name}" has type "${node.type}", which is not a NIR node type snnc knows`);
    }
    importer.import(name, node, ctx, k > 0 ? order[k - 1] : "");
    // A recurrence its node's importer did not take: only spiking dense layers are recurrent.
    const rec = ctx.recurrence.get(name);
    if (rec) throw new NirError(`node "${name}" (${node.type}) is recurrent through "${rec.node}"; snnc's recurrent layers are LIF, IF or CubaLIF nodes after a Linear or Affine`);
  });

  const types = [...graph.nodes.values()].map((n) => n.type);
  const who = opts.exporter ? displayName(opts.exporter) : undefined;
  // The timing NIR leaves open, said where it applies: snnc's and snnTorch's (RLeaky, RSynaptic).
  const recNote = recurrence.size > 0 ? " A recurrent weight node acts on its layer's spikes of the previous step." : "";
  let spec: NetworkSpec = {
    name: opts.name ?? opts.fallbackName,
    description: `Imported from the NIR file ${opts.source} assuming ${describeConventions(opts, types, who)}.${recNote} Time steps, input encoding, dataset and training are snnc's defaults: edit them for your data.`,
    time: { steps: opts.steps ?? DEFAULT_IMPORT_STEPS, dt_ms: opts.dtMs },
    input: { shape: ctx.inputShape!, encoding: { kind: "events", bin_ms: opts.dtMs }, dataset: "synthetic" },
    layers: ctx.layers,
    training: structuredClone(DEFAULT_IMPORT_TRAINING) as NetworkSpec["training"],
  };
  const origin = snncOrigin(graph, ctx.layers, opts);
  if (origin) {
    applyOrigin(spec, origin, opts.steps);
    restoreZeroBiases(spec, origin.spec, ctx);
    if (opts.name) spec.name = opts.name;
    if (!origin.sameConventions) spec.description = `${origin.spec.description} Imported from the NIR file ${opts.source} assuming ${describeConventions(opts, types, who)}.`.trim();
    spec = omitUnwritten(spec, origin.written);
  }

  const checked = checkSpecText(JSON.stringify(spec), "imported spec");
  if (!checked.ok) {
    const where = (p: string) => {
      const m = /^\/layers\/(\d+)/.exec(p);
      return m ? ` (from node "${ctx.layerNodes[Number(m[1])]}")` : "";
    };
    throw new NirError(`the graph does not make a valid snnc spec: ${checked.problems.map((p) => formatProblem(p) + where(p.pointer)).join("; ")}`);
  }
  const weights = new Map<string, Float32Array>();
  for (const layer of weightedLayers(lowerSpec(checked.spec))) {
    const got = ctx.tensors[layer.index];
    for (const t of layer.weights) {
      const w =
        t.role === "bias" ? got?.bias
        : t.role === "recurrent" ? got?.recurrent
        : t.role === "alpha" ? got?.alpha
        : t.role === "alpha_syn" ? got?.alphaSyn
        : got?.weight;
      if (!w || w.length !== t.size) throw new Error(`internal error: imported ${t.role} ${t.name} has ${w?.length} values, the spec needs ${t.size}`);
      weights.set(t.name, Float32Array.from(w));
    }
  }
  return { spec, weights, fromSnnc: origin !== null };
}

/** An all-zero bias is no bias, unless the file is snnc's and its layer had one (a bias that
 *  starts at 0, bias.ts): then it stays, so the round trip gives the same spec. */
function restoreZeroBiases(spec: NetworkSpec, origin: ResolvedSpec, ctx: ImportContext): void {
  spec.layers.forEach((layer, k) => {
    const from = origin.layers[k] as { bias?: boolean };
    if (ctx.tensors[k]?.zeroBias && from.bias && (layer.kind === "dense" || layer.kind === "conv" || layer.kind === "readout")) layer.bias = true;
  });
}
