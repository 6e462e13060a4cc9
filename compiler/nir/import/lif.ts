// LIF after a Linear/Affine (a dense layer) or a Conv2d (a conv layer). τ, v_threshold, v_leak
// and v_reset must be one value per layer; r may vary per neuron in a dense layer because it only
// scales that neuron's weights and bias (W_snnc = r·(1 − α)·W_nir, or W_nir where the exporter's
// simulator takes its input as it is: conventions.ts).
// IF (if.ts) and CubaLIF (cuba-lif.ts) build their layers with `addSpikingLayer` below.

import type { NeuronParams, TauSpec } from "../../spec/types.ts";
import { tauValue } from "../../spec/tau.ts";
import { membraneGain, specTauMs, tauProblem, unitMembrane } from "../conventions.ts";
import type { NirNode } from "../graph.ts";
import { size, type ImportContext, type Synapse } from "./context.ts";
import type { NodeImporter } from "./node-importer.ts";

/** τ (seconds) checked against the conventions; refused with the node named. */
export function readTau(name: string, node: NirNode, ctx: ImportContext, key: string, n: number): number {
  const tau = ctx.uniform(name, node, key, n);
  const problem = tauProblem(tau, ctx.conventions, key);
  if (problem) ctx.fail(name, node, problem);
  return tau;
}

/** A τ parameter (seconds) that may vary over a dense layer's neurons (docs/design.md §2.1): one
 *  value per neuron, each checked against the conventions. Where the values differ the layer gets
 *  a per-neuron τ: the spec's τ becomes U(min, max) (fixed, or trained with --learn-tau) and the
 *  layer's α tensor holds each neuron's exp(−Δt/τ) as a single τ would give it. A conv layer (its
 *  gains are shared by every position) and a spiking readout (one τ) keep one value. */
export interface NodeTaus {
  /** Per neuron, seconds. */
  values: Float64Array;
  /** The spec's field: one number, or the per-neuron distribution. */
  spec: TauSpec;
  /** α per neuron when the values differ, else null. */
  alpha: Float64Array | null;
}

export function readTaus(name: string, node: NirNode, ctx: ImportContext, key: string, syn: Synapse): NodeTaus {
  const n = neuronCount(syn);
  const values = ctx.perNeuron(name, node, key, n);
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of values) {
    const problem = tauProblem(t, ctx.conventions, key);
    if (problem) ctx.fail(name, node, problem);
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  if (lo === hi) return { values, spec: specTauMs(lo, ctx.conventions), alpha: null };
  if (syn.kind === "conv") ctx.fail(name, node, `"${key}" differs between neurons (${lo} … ${hi}); snnc holds per-neuron τ in dense layers only (a conv layer needs one value)`);
  if (ctx.beforeOutput) ctx.fail(name, node, `"${key}" differs between neurons (${lo} … ${hi}); snnc's readout has one τ`);
  const dt = ctx.conventions.dtMs;
  const ms = Array.from(values, (t) => specTauMs(t, ctx.conventions));
  // As lowerMembrane makes α of one τ: exp(−Δt/τ) of the spec's τ, held in float32.
  const alpha = Float64Array.from(ms, (t) => Math.fround(Math.exp(-dt / t)));
  const spec: TauSpec = { init: "uniform", min: Math.min(...ms), max: Math.max(...ms), ...(ctx.learnTau ? { learn: true } : {}) };
  return { values, spec, alpha };
}

/** Neurons of a spiking layer: the synapse's size. */
export function neuronCount(syn: Synapse): number {
  return syn.kind === "dense" ? syn.nOut : size(syn.outShape);
}

/** The threshold, reset and reset mode every spiking node has (v_reset absent means 0). */
export function thresholdAndReset(name: string, node: NirNode, ctx: ImportContext, n: number): Partial<NeuronParams> {
  return {
    v_th: ctx.uniform(name, node, "v_threshold", n),
    v_reset: ctx.uniform(name, node, "v_reset", n, 0),
    ...(ctx.conventions.reset !== "subtract" ? { reset: ctx.conventions.reset } : {}),
  };
}

/** The dense or conv layer of a spiking node after `syn`: its weights and bias times the per-step
 *  input gain, `gain(j)` for neuron j of a dense layer; a conv layer needs one gain for all, so
 *  `gain` is then asked for neuron 0 after `uniformGain` has checked it. A dense layer takes its
 *  recurrent weight node (R_nir[j][k], from k to j) with the same gain g_j, transposed into the
 *  IR's R[k][j]; that node's bias (an Affine's) acts from the first step like any bias, so g_j
 *  times it joins the layer's bias. The node last before Output makes the spiking readout
 *  (spike-count logits); `opts.unitR`, given when r is 1 for every neuron, is the gain without
 *  r's (1 − α), which the readout then keeps as its input_scale "one_minus_alpha" (as an LI does). */
export function addSpikingLayer(
  name: string,
  ctx: ImportContext,
  syn: Synapse,
  neuron: Partial<NeuronParams>,
  gain: (j: number) => number,
  opts: { node: NirNode; unitR?: (j: number) => number; decays?: { alpha: Float64Array | null; alphaSyn: Float64Array | null } },
): void {
  if (syn.kind === "dense") {
    const n = syn.nOut;
    const readout = ctx.beforeOutput;
    const unit = readout && opts.unitR !== undefined;
    const g = (j: number) => (unit ? opts.unitR!(j) : gain(j));
    const rec = ctx.takeRecurrence(name, n);
    const w = new Float64Array(syn.nIn * n);
    const anyBias = syn.bias !== null || (rec?.bias ?? null) !== null;
    const b = anyBias ? new Float64Array(n) : null;
    const r = rec ? new Float64Array(n * n) : null;
    for (let j = 0; j < n; j++) {
      const gj = g(j);
      for (let i = 0; i < syn.nIn; i++) w[i * n + j] = gj * syn.weight[j * syn.nIn + i];
      if (b) b[j] = gj * ((syn.bias?.[j] ?? 0) + (rec?.bias?.[j] ?? 0));
      if (r) for (let k = 0; k < n; k++) r[k * n + j] = gj * rec!.weight[j * n + k];
    }
    const recurrent = rec ? { recurrent: true } : {};
    if (readout) {
      const { tau_ms, v_rest, tau_syn_ms, ...own } = neuron;
      // A readout's own τ fields are numbers (per-neuron τ is a hidden layer's: compiler/spec/check-tau.ts).
      const membrane = { ...(tau_ms !== undefined ? { tau_ms: tauValue(tau_ms), v_rest } : {}), ...(tau_syn_ms !== undefined ? { tau_syn_ms: tauValue(tau_syn_ms) } : {}) };
      const spec = { kind: "readout" as const, size: n, spiking: true, logits: "spike_count" as const, input_scale: unit ? ("one_minus_alpha" as const) : ("one" as const) };
      ctx.addLayer(name, { ...spec, ...membrane, neuron: own, ...recurrent }, w, b, r);
      ctx.readoutNode = name;
    } else ctx.addLayer(name, { kind: "dense", size: n, neuron, ...recurrent }, w, b, r, opts.decays);
    ctx.shape = [n];
  } else {
    if (ctx.recurrence.has(name)) ctx.fail(name, opts.node, `is recurrent through "${ctx.recurrence.get(name)!.node}" but follows the Conv2d "${syn.node}"; snnc's recurrent layers are dense`);
    if (ctx.beforeOutput) ctx.fail(name, opts.node, `follows the Conv2d "${syn.node}" and is the last node before Output; snnc's spiking readout is dense (flatten and add a Linear or Affine first)`);
    const g = gain(0);
    ctx.addLayer(
      name,
      { kind: "conv", filters: syn.filters, kernel: syn.kernel, stride: syn.stride, padding: syn.padding, neuron },
      syn.weight.map((x) => g * x),
      syn.bias ? syn.bias.map((x) => g * x) : null,
    );
    ctx.shape = syn.outShape;
  }
}

/** A per-neuron parameter that folds into the weights: free per neuron in a dense layer, one
 *  value in a conv layer (whose weights are shared by every position). */
export function gainParam(name: string, node: NirNode, ctx: ImportContext, syn: Synapse, key: string, fallback?: number): Float64Array {
  const n = neuronCount(syn);
  if (syn.kind === "conv") return new Float64Array(1).fill(ctx.uniform(name, node, key, n, fallback));
  return ctx.perNeuron(name, node, key, n, fallback);
}

export const lif: NodeImporter = {
  type: "LIF",
  import(name, node, ctx, previous) {
    const syn = ctx.takeSynapse(name, node, previous);
    const n = neuronCount(syn);
    const tau = readTaus(name, node, ctx, "tau", syn);
    const neuron = {
      tau_ms: tau.spec,
      ...thresholdAndReset(name, node, ctx, n),
      v_rest: ctx.uniform(name, node, "v_leak", n),
    };
    const r = gainParam(name, node, ctx, syn, "r");
    const unitR = unitMembrane("lif", r, ctx.conventions) ? () => 1 : undefined;
    const decays = { alpha: tau.alpha, alphaSyn: null };
    addSpikingLayer(name, ctx, syn, neuron, (j) => membraneGain("lif", r[j], tau.values[j], ctx.conventions), { node, unitR, decays });
  },
};
