// The kernel plan: which kernels one training step runs, in which order, and which buffers they
// touch with their sizes. Backend-neutral: the CPU and CUDA backends render the same plan.

import type { MaxPoolLayer, Network, ReadoutLayer, SpikingLayer } from "../ir/types.ts";

export type ElemType = "f32" | "f64" | "u32" | "i32";

/** Who needs a buffer: every path, only the sparse or the dense backward, or ("trace") the dense
 * backward and any run that records membranes for inspection. */
export type BufferPath = "both" | "sparse" | "dense" | "trace";

export type BufferRole = "parameters" | "optimizer" | "gradients" | "input" | "forward" | "backward" | "loss";

export interface BufferPlan {
  /** C identifier used in the emitted code, e.g. `w1`, `spikes_l1`, `act_grad_l2`. */
  name: string;
  elem: ElemType;
  /** Element count at the plan's batch size (for the active set: at the initial capacity). */
  count: number;
  bytes: number;
  role: BufferRole;
  path: BufferPath;
  /** Grows at run time when the data needs more room (active set, input events). */
  growable: boolean;
  /** How the count follows the batch: count = perSample·B + extra, or a run-time capacity. */
  scale: BufferScale;
  what: string;
}

export type BufferScale =
  | { kind: "fixed" }
  | { kind: "batch"; perSample: number; extra: number }
  /** B · (per-sample active capacity of `layer`), grown by the host when a batch needs more. */
  | { kind: "active"; layer: string }
  /** The input-event capacity, grown by the host when a batch has more events. */
  | { kind: "events" };

export type KernelKind =
  | "forward_lif"
  | "forward_maxpool"
  | "forward_readout"
  | "loss"
  | "backward_sparse"
  | "backward_dense"
  | "adam";

export interface KernelPlan {
  /** e.g. `forward_lif_l1`, `backward_sparse_l3`, `adam_w2`. */
  name: string;
  kind: KernelKind;
  layer?: string;
  what: string;
  /** CUDA launch shape: one block per sample (`batch`) or a flat grid over elements. */
  grid: "batch" | "elements";
  /** threads per block on CUDA. */
  block: number;
  /** Work each block or element does, in words, for `snnc inspect`. */
  work: string;
}

/**
 * Where a layer's input spikes come from: the batch's events, or the spike bitmask of a spiking
 * layer or of a max-pool (flatten layers are the identity on the flat index and have no stage).
 */
export type SpikeInput = { kind: "events" } | { kind: "spikes"; from: SpikingLayer | MaxPoolLayer };

/** One hidden (spiking) layer as the kernels see it: dense, or conv (CPU backend only). */
export interface HiddenStage {
  layer: SpikingLayer;
  /** Input comes from the batch's events (first layer) or the spike bitmask of the stage below. */
  input: SpikeInput;
  /** Words per (b, t) in this layer's spike/active bitmask: ceil(N / 32). */
  words: number;
  /** Neurons each CUDA thread owns (register arrays unroll over it). */
  perThread: number;
  block: number;
  /** Per-sample active-set capacity (entries) at the initial capacity fraction. */
  activeCapacity: number;
}

/**
 * A max-pool on the spikes of a spiking layer: the forward writes the pooled spike bitmask (an OR
 * over each window) that the layer above reads like any other; the backward routes ∂L/∂S of each
 * pooled neuron to the window's first spiking input (else its first input), in the sparse path
 * only where that input is an active neuron-time of `from`.
 */
export interface PoolStage {
  layer: MaxPoolLayer;
  from: SpikingLayer;
  /** Words per (b, t) in the pooled spike bitmask. */
  words: number;
}

export interface ReadoutStage {
  layer: ReadoutLayer;
  input: SpikeInput;
  perThread: number;
  block: number;
}

export interface Plan {
  network: Network;
  batch: number;
  hidden: HiddenStage[];
  pools: PoolStage[];
  readout: ReadoutStage;
  kernels: KernelPlan[];
  buffers: BufferPlan[];
  /** The fixed launch sequence of one training step, by kernel name. */
  steps: { sparse: string[]; dense: string[] };
}
