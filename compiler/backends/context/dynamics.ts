// The render context of the options beyond the paper's LIF that the kernels see as a stage's
// own (docs/design.md §2): the bias (its tensor, and the sums of the propagator the sparse
// backward needs for ∇b between events), the reset mode and, on the readout, CuBa synapses.
// Every field is off for a network that uses none, and the templates emit nothing for it then,
// so such a network's sources are byte for byte what they were.

import type { SpikingLayer, WeightedLayer } from "../../ir/types.ts";
import { biasOf } from "../../ir/layers.ts";
import { f32 } from "../c-literals.ts";

export interface BiasContext {
  hasBias: boolean;
  /** The bias tensor (`b<k>`), or "". */
  bias: string;
  biasSize: number;
  /** Neurons that share one bias entry: 1, or H_out·W_out for a conv layer's per-filter bias. */
  biasSpan: number;
  /** Σ_{k=1}^{m} of the propagator for m = 0 … T (width as the propagator's), C literals: the
   * sparse walk adds ∂L/∂I of a run of m quiet steps as drive(Σ Pᵏ·δ) in one go. */
  propagatorSum: string;
}

export function biasContext(layer: WeightedLayer, propagator: number[], width: number): BiasContext {
  const b = biasOf(layer);
  if (!b) return { hasBias: false, bias: "", biasSize: 0, biasSpan: 1, propagatorSum: "" };
  return {
    hasBias: true,
    bias: b.name,
    biasSize: b.size,
    biasSpan: layer.nOut / b.size,
    propagatorSum: propagatorSums(propagator, width).map(f32).join(", "),
  };
}

/** Entry m = Σ_{k=1}^{m} P^k, elementwise on the flattened table (the entries are linear in Pᵏ). */
export function propagatorSums(propagator: number[], width: number): number[] {
  const n = propagator.length / width;
  const out = new Array<number>(propagator.length).fill(0);
  for (let m = 1; m < n; m++)
    for (let q = 0; q < width; q++) out[m * width + q] = out[(m - 1) * width + q] + propagator[m * width + q];
  return out;
}

/** Per-neuron α and α_syn (docs/design.md §2.1): the tensors the kernels read instead of the
 * layer's ALPHA/ALPHA_SYN, and whether they are trained (the forward then carries the traces
 * whose products with the backward's injections are their gradients). All off for a layer with
 * one τ, whose sources then stay as they were. */
export interface DecayContext {
  perNeuronDecay: boolean;
  /** What the hooks multiply by: "ALPHA" (the layer's constant) or "s.k.alpha" (the neuron's). */
  decayAlpha: string;
  decayAlphaSyn: string;
  /** The tensors (`a<k>`, `as<k>`) or "" when that decay is the layer's constant. */
  alphaTensorName: string;
  alphaSynTensorName: string;
  /** C pointers to them in the kernels' Buffers (`d.a1`), or "nullptr". */
  alphaTensor: string;
  alphaSynTensor: string;
  learnAlpha: boolean;
  learnAlphaSyn: boolean;
  learnsDecay: boolean;
  /** What the two trained per-neuron slots are called in the hooks, the buffers and the gradient
   * arrays (trace_<name>, act_trace_<name>_<id>, grad_<name>): "alpha" and "alpha_syn", or for a
   * trained ALIF layer "rho" and "beta_adapt" (ρ in the first slot, β_a in the second). */
  traceName: string;
  traceSynName: string;
  /** For the emitted comments: what each trace holds and whose gradient it makes. */
  traceWhat: string;
  traceSynWhat: string;
  gradOf: string;
  gradSynOf: string;
  /** "Per-neuron τ" or "Trained adaptation", and in lower case, for the same comments. */
  perNeuronWhat: string;
  perNeuronWhatLower: string;
  /** Trained ALIF adaptation: the gradients of ρ and β_a read ∂L/∂S with the adaptation's own term
   * (e' = spike_grad(adjoint, e, g)), not the injection e of α's. */
  learnAdapt: boolean;
  /** What the kernels multiply a trace by: "injected" (e), or "spike" (e') for a trained ALIF layer. */
  decayIota: string;
  /** What ALIF's hooks read for ρ and β_a: the layer's RHO, BETA_A, or the neuron's s.k.rho, s.k.beta_a. */
  adaptRho: string;
  adaptBeta: string;
}

export function decayContext(layer: SpikingLayer | null): DecayContext {
  const rho = layer?.weights.find((w) => w.role === "rho");
  if (rho) return adaptContext(rho.name, layer!.weights.find((w) => w.role === "beta_adapt")!.name);
  const decay = layer?.weights.find((w) => w.role === "alpha");
  const decaySyn = layer?.weights.find((w) => w.role === "alpha_syn");
  const learnAlpha = decay !== undefined && decay.trainable !== false;
  const learnAlphaSyn = decaySyn !== undefined && decaySyn.trainable !== false;
  return {
    perNeuronDecay: decay !== undefined || decaySyn !== undefined,
    decayAlpha: decay ? "s.k.alpha" : "ALPHA",
    decayAlphaSyn: decaySyn ? "s.k.alpha_syn" : "ALPHA_SYN",
    alphaTensorName: decay?.name ?? "",
    alphaSynTensorName: decaySyn?.name ?? "",
    alphaTensor: decay ? `d.${decay.name}` : "nullptr",
    alphaSynTensor: decaySyn ? `d.${decaySyn.name}` : "nullptr",
    learnAlpha,
    learnAlphaSyn,
    learnsDecay: learnAlpha || learnAlphaSyn,
    traceName: "alpha",
    traceSynName: "alpha_syn",
    traceWhat: "P",
    traceSynWhat: "B",
    gradOf: "α",
    gradSynOf: "α_syn",
    perNeuronWhat: "Per-neuron τ",
    perNeuronWhatLower: "per-neuron τ",
    learnAdapt: false,
    decayIota: "injected",
    adaptRho: "RHO",
    adaptBeta: "BETA_A",
  };
}

/** A trained ALIF layer: ρ (tensor `ra<k>`) and β_a (`ba<k>`) per neuron in the two slots; its α
 * stays the layer's (ALIF has no per-neuron τ). */
function adaptContext(rho: string, betaAdapt: string): DecayContext {
  return {
    perNeuronDecay: true,
    decayAlpha: "ALPHA",
    decayAlphaSyn: "ALPHA_SYN",
    alphaTensorName: rho,
    alphaSynTensorName: betaAdapt,
    alphaTensor: `d.${rho}`,
    alphaSynTensor: `d.${betaAdapt}`,
    learnAlpha: true,
    learnAlphaSyn: true,
    learnsDecay: true,
    traceName: "rho",
    traceSynName: "beta_adapt",
    traceWhat: "−β_a·P_a",
    traceSynWhat: "−a",
    gradOf: "ρ",
    gradSynOf: "β_a",
    perNeuronWhat: "Trained adaptation (ρ, β_a per neuron)",
    perNeuronWhatLower: "trained adaptation (ρ, β_a per neuron)",
    learnAdapt: true,
    decayIota: "spike",
    adaptRho: "s.k.rho",
    adaptBeta: "s.k.beta_a",
  };
}
