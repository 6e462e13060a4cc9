// LIF after a Linear/Affine (a dense layer) or a Conv2d (a conv layer). τ, v_threshold, v_leak
// and v_reset must be one value per layer; r may vary per neuron in a dense layer because it only
// scales that neuron's weights and bias (W_snnc = r·(1 − α)·W_nir, or W_nir where the exporter's
// simulator takes its input as it is: conventions.ts).
// IF (if.ts) and CubaLIF (cuba-lif.ts) build their layers with `addSpikingLayer` below.

import type { NeuronParams } from "../../spec/types.ts";
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
  opts: { node: NirNode; unitR?: (j: number) => number },
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
    } else ctx.addLayer(name, { kind: "dense", size: n, neuron, ...recurrent }, w, b, r);
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
    const tau = readTau(name, node, ctx, "tau", n);
    const neuron = {
      tau_ms: specTauMs(tau, ctx.conventions),
      ...thresholdAndReset(name, node, ctx, n),
      v_rest: ctx.uniform(name, node, "v_leak", n),
    };
    const r = gainParam(name, node, ctx, syn, "r");
    const unitR = unitMembrane("lif", r, ctx.conventions) ? () => 1 : undefined;
    addSpikingLayer(name, ctx, syn, neuron, (j) => membraneGain("lif", r[j], tau, ctx.conventions), { node, unitR });
  },
};
