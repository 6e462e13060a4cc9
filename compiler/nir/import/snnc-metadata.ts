// A file snnc exported carries its spec in the graph's metadata (`snnc_spec`): as its spec file
// wrote it (files from before that carry the resolved spec, which reads the same way). NIR has no
// place for what only training needs (time steps, input encoding, dataset, surrogate, active band,
// init, loss, optimizer, logits), so an import takes those from there when the graph still has the
// same layers; the network itself (shapes, τ, thresholds, weights) always comes from the nodes. A
// file from any other tool has no such entry and gets snnc's defaults.

import { checkSpecText } from "../../spec/index.ts";
import type { LayerSpec, NetworkSpec, ResolvedSpec } from "../../spec/types.ts";
import { NIR_GAIN, type Conventions } from "../conventions.ts";
import { isTauDistribution } from "../../spec/tau.ts";
import type { NirGraph, NirValue } from "../graph.ts";

export const SPEC_KEY = "snnc_spec";

export interface SnncOrigin {
  spec: ResolvedSpec;
  /** The spec as the exporter's file wrote it (defaults left out), for omit-unwritten.ts. */
  written: NetworkSpec;
  /** The file was written with the same dt, discretisation and reset as this import uses. */
  sameConventions: boolean;
}

const num = (v: NirValue | undefined): number | undefined => (typeof v === "object" && v.data.length === 1 ? v.data[0] : undefined);

/** The exporter's spec, when the file has one whose layers match `layers` kind for kind. */
export function snncOrigin(graph: NirGraph, layers: LayerSpec[], c: Conventions): SnncOrigin | null {
  const text = graph.metadata[SPEC_KEY];
  if (typeof text !== "string") return null;
  // The spec as written validates and resolves; a resolved spec (what files from before recorded,
  // and exportNir's default) need not validate (an IF layer's resolved τ beside leak false) and is
  // taken as it is, every field written.
  const checked = checkSpecText(text, SPEC_KEY);
  let spec: ResolvedSpec;
  let written: NetworkSpec;
  if (checked.ok) ({ spec, raw: written } = checked);
  else
    try {
      spec = written = JSON.parse(text) as ResolvedSpec;
    } catch {
      return null;
    }
  if (!Array.isArray(spec?.layers) || spec.layers.length !== layers.length || spec.layers.some((l, k) => l?.kind !== layers[k].kind)) return null;
  const m = graph.metadata;
  const gain = c.inputGain ?? NIR_GAIN;
  const fileGain = m.input_gain ?? "nir";
  const sameConventions =
    num(m.dt_ms) === c.dtMs &&
    m.discretization === c.discretization &&
    m.reset === c.reset &&
    (m.if_gain ?? "literal") === (c.ifGain ?? "literal") &&
    [gain.lif, gain.li, gain.synapse].every((g) => g === fileGain);
  return { spec, written, sameConventions };
}

/** Copies the training-side fields of the exporter's spec into the imported one. */
export function applyOrigin(spec: NetworkSpec, origin: SnncOrigin, steps: number | undefined): void {
  const o = origin.spec;
  spec.name = o.name;
  if (origin.sameConventions) spec.description = o.description;
  spec.time.steps = steps ?? o.time.steps;
  if (JSON.stringify(o.input.shape) === JSON.stringify(spec.input.shape)) {
    // Another dt rescales the whole timeline (τ already scaled with it): events keep one bin per
    // step and a latency code keeps its time constant in steps.
    const ratio = spec.time.dt_ms / o.time.dt_ms;
    const enc = o.input.encoding;
    const encoding = enc.kind === "events" ? { ...enc, bin_ms: spec.time.dt_ms } : ratio === 1 ? enc : { ...enc, tau_eff_ms: enc.tau_eff_ms * ratio };
    spec.input = { shape: spec.input.shape, encoding, dataset: o.input.dataset };
  }
  spec.loss = o.loss;
  spec.training = o.training;
  spec.layers.forEach((layer, k) => {
    const from = o.layers[k];
    if ((layer.kind === "dense" || layer.kind === "conv") && (from.kind === "dense" || from.kind === "conv")) {
      layer.neuron = { ...layer.neuron, b_th: from.neuron.b_th, surrogate_beta: from.neuron.surrogate_beta };
      // A per-neuron τ: the values are the nodes' (the layer's α tensor), how they were drawn and
      // whether they train is the exporter's (NIR holds only the values).
      for (const f of ["tau_ms", "tau_syn_ms"] as const)
        if (isTauDistribution(layer.neuron[f]) && isTauDistribution(from.neuron[f])) layer.neuron[f] = from.neuron[f];
      layer.init = from.init;
      // An IF layer's τ and V_rest have no effect and no NIR parameter; a layer without leak may
      // not write them, so they come back through the top-level neuron (shared by every IF layer).
      if (layer.neuron.leak === false && from.neuron.leak === false) spec.neuron = { tau_ms: from.neuron.tau_ms, v_rest: from.neuron.v_rest };
      if (layer.kind === "dense" && layer.recurrent && from.kind === "dense" && from.recurrent_init) layer.recurrent_init = from.recurrent_init;
    } else if (layer.kind === "readout" && from.kind === "readout") {
      layer.logits = from.logits;
      layer.init = from.init;
      // A spiking readout's B_th and β (no NIR parameter), R's init, and an IF readout's τ and
      // V_rest (no effect, no NIR parameter) come back from the exporter's spec.
      if (layer.spiking && from.spiking && from.neuron) {
        layer.neuron = { ...layer.neuron, b_th: from.neuron.b_th, surrogate_beta: from.neuron.surrogate_beta };
        if (layer.neuron.leak === false) [layer.tau_ms, layer.v_rest] = [from.tau_ms, from.v_rest];
      }
      if (layer.recurrent && from.recurrent_init) layer.recurrent_init = from.recurrent_init;
    }
  });
}
