// The Network IR: a validated spec with every default filled, every derived constant resolved
// and every shape known. Later stages (plan, backends, runtime) read only this.

import type { NeuronIR } from "../neurons/index.ts";
import type { AugmentSpec, ResolvedSchedule, TauDistribution } from "../spec/types.ts";

export type Shape = number[];

/** The resolved neuron of a spiking layer (its model and constants: α = exp(−Δt/τ), reset amount = V_th − V_r, …). */
export type { NeuronIR };

export interface WeightInit {
  /** "zeros": every entry 0, nothing drawn (biases; see compiler/layers/bias.ts). "tau": a
   *  per-neuron decay α = exp(−Δt/τ) with τ drawn from `tau` (compiler/layers/decay.ts).
   *  "constant": every entry `value`, nothing drawn (a trained ALIF layer's β_a). */
  distribution: "uniform" | "normal" | "zeros" | "tau" | "constant";
  scale: number;
  fanIn: number;
  /** uniform: half-width scale/√fan_in; normal: standard deviation scale/√fan_in. */
  bound: number;
  /** distribution "tau" only: τ's distribution (ms), Δt, and the float32 range α is clamped to. */
  tau?: { dist: TauDistribution; dtMs: number; alphaMin: number; alphaMax: number };
  /** distribution "constant" only: every entry's value. */
  value?: number;
}

/** What a trained tensor is: the weights from the layer's input to its neurons, the layer's bias
 * (one per neuron, or per filter of a conv layer) added to the input current, (recurrent) the
 * weights from its own spikes at step t to its own currents of step t, or a per-neuron decay
 * (alpha: the membrane's α; alpha_syn: a CuBa neuron's α_syn), one per neuron, or a trained ALIF
 * neuron's adaptation (rho: its decay ρ; beta_adapt: its β_a), one per neuron. */
export type WeightRole = "feedforward" | "bias" | "recurrent" | "alpha" | "alpha_syn" | "rho" | "beta_adapt";

export interface WeightTensor {
  /** `w<k>` for the feed-forward weights of layer `l<k>`, `r<k>` for its recurrent ones, `b<k>` for its bias. */
  name: string;
  role: WeightRole;
  /** dense/readout: [nIn, nOut] row-major (W[i][j] at i·nOut + j); conv: [filters, C, k, k];
   * recurrent: [nOut, nOut] (R[k][j] at k·nOut + j, from neuron k to neuron j);
   * bias: [nOut] (dense, readout) or [filters] (conv). */
  shape: Shape;
  size: number;
  init: WeightInit;
  /** false: held and saved like the others but never trained (a fixed per-neuron α: no Adam
   *  kernel, its gradient stays 0). Absent: trained. */
  trainable?: false;
}

interface LayerBase {
  /** `l<k>`, k = 1-based position in the spec's layer list. */
  id: string;
  /** 0-based position in the spec's layer list (JSON pointer /layers/<index>). */
  index: number;
  inShape: Shape;
  outShape: Shape;
  nIn: number;
  nOut: number;
}

export interface DenseLayer extends LayerBase {
  kind: "dense";
  neuron: NeuronIR;
  /** The layer's trained tensors: [feed-forward, recurrent?, bias?]. */
  weights: WeightTensor[];
}

export interface ConvLayer extends LayerBase {
  kind: "conv";
  filters: number;
  kernel: number;
  stride: number;
  padding: number;
  neuron: NeuronIR;
  /** [feed-forward [filters, C, k, k], bias? [filters]]. */
  weights: WeightTensor[];
}

export interface MaxPoolLayer extends LayerBase {
  kind: "maxpool";
  /** Window and stride; on spikes a max-pool is an OR over the window. */
  size: number;
}

export interface SumPoolLayer extends LayerBase {
  kind: "sumpool";
  /** Window and stride; the pooled value is the window's spike count (0 … size²). */
  size: number;
}

export interface FlattenLayer extends LayerBase {
  kind: "flatten";
}

export interface ReadoutLayer extends LayerBase {
  kind: "readout";
  tauMs: number;
  alpha: number;
  vRest: number;
  logits: "max" | "sum" | "spike_count";
  inputScaleMode: "one" | "one_minus_alpha";
  /** The factor applied to the readout's input current: 1 or 1 − α. */
  inputScale: number;
  /** Current-based synapses (CuBa) of a non-spiking readout: J[t+1] = α_syn·J[t] + scale·I[t], V
   * integrates J[t+1]. A spiking readout's CuBa is its neuron model (cuba-lif), like a hidden layer's. */
  synapse?: { tauSynMs: number; alphaSyn: number };
  /** [feed-forward, recurrent? (spiking readout only), bias?]. */
  weights: WeightTensor[];
  /** Present only on a spiking readout: its neuron (V_th, B_th, β, …; α and V_rest as above). It
   * spikes like a hidden layer, carries no activity penalty, and its logits are spike counts. */
  neuron?: NeuronIR;
}

/** A readout that spikes: a LIF stage whose spike counts are the logits. */
export type SpikingReadout = ReadoutLayer & { neuron: NeuronIR };

/** Layers of LIF neurons that spike: the hidden layers, which carry activity penalties, and a
 * spiking readout; each has an active set. */
export type SpikingLayer = DenseLayer | ConvLayer | SpikingReadout;
export type WeightedLayer = DenseLayer | ConvLayer | ReadoutLayer;
export type Layer = DenseLayer | ConvLayer | MaxPoolLayer | SumPoolLayer | FlattenLayer | ReadoutLayer;

export type ResolvedEncoding =
  | { kind: "latency"; tauEffMs: number; /** τ_eff in steps (τ_eff_ms / Δt). */ tauEffSteps: number; theta: number }
  | { kind: "events"; binMs: number };

export interface Network {
  name: string;
  /** sha256 of the canonical resolved spec; decides whether generated code is stale. */
  specHash: string;
  steps: number;
  dtMs: number;
  input: {
    shape: Shape;
    size: number;
    encoding: ResolvedEncoding;
    dataset: "fashion-mnist" | "nmnist" | "shd" | "synthetic" | "delayed-xor";
  };
  layers: Layer[];
  /** The readout's size. */
  classes: number;
  loss: {
    activityLow: { lambda: number; nu: number };
    activityUp: { lambda: number; nu: number };
  };
  training: {
    batch: number;
    epochs: number;
    adam: { lr: number; beta1: number; beta2: number; eps: number };
    /** AdamW's decoupled decay λ (0: plain Adam). A run-time value: the host passes 1 − lr·λ per step. */
    weightDecay: number;
    /** Max global L2 norm of the gradients; null: no clipping. Baked into the kernels. */
    clipGradNorm: number | null;
    /** The learning-rate schedule (a run-time matter: the host passes each step's lr). */
    schedule: ResolvedSchedule;
    /** Held-out validation share (< 1) or count (≥ 1); 0: none. */
    validation: number;
    /** Early-stopping patience in epochs; null: never. */
    earlyStop: number | null;
    /** Host-side augmentation of the training data (empty: none). */
    augment: AugmentSpec;
    backward: "sparse" | "dense";
    seed: number;
    activeCapacity: number;
  };
}
