// The kernel plan: the single source of what one training step runs. A list of stages in layer
// order (each a layer kind with its kernels), the launch order of every phase, every buffer with
// its size, and the layout of the stats the host reads back. Backend-neutral: the CPU and CUDA
// backends render the same plan, and nothing downstream works out an order of its own.

import type { ConvLayer, DenseLayer, MaxPoolLayer, Network, ReadoutLayer, SpikingLayer, SumPoolLayer, WeightTensor } from "../ir/types.ts";
import type { StatsLayout } from "./stats-layout.ts";
import type { StepLaunch } from "./plan-options.ts";

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
  | { kind: "fixed"; count: number }
  | { kind: "batch"; perSample: number; extra: number }
  /** B · (per-sample active-set entries of the LIF stage `stage`), grown by the host when a batch needs more. */
  | { kind: "active"; stage: string }
  /** The input-event capacity, grown by the host when a batch has more events. */
  | { kind: "events" };

/** The phases of one training step; each is a fixed launch sequence. */
export type Phase = "forward" | "backward_sparse" | "backward_dense" | "adam";

/** What a kernel is: each kind has one template per backend (`templates/<backend>/kernels/<kind>.hbs`). */
export type KernelKind =
  | "forward_lif_currents"
  | "forward_lif"
  | "forward_maxpool"
  | "forward_readout"
  | "loss"
  | "backward_sparse_lif"
  | "backward_dense_lif"
  | "backward_sparse_maxpool"
  | "backward_dense_maxpool"
  | "backward_sparse_readout"
  | "backward_dense_readout"
  | "grad_norm"
  | "adam";

export interface KernelPlan {
  /** e.g. `forward_lif_l1`, `backward_sparse_l3`, `adam_w2`. */
  name: string;
  kind: KernelKind;
  phase: Phase;
  /** The stage (layer id) it belongs to; none for the loss. */
  stage?: string;
  /** The weight tensor it updates (Adam). */
  weight?: string;
  what: string;
  /** Launch shape: one block (CUDA) or one loop iteration (CPU) per sample, one block per (sample,
   * step) pair (a time-parallel stage's currents), or a flat grid over elements. */
  grid: "batch" | "sample-steps" | "elements";
  /** Work each sample or element does, in words, for `snnc inspect`. */
  work: string;
}

/** Where a stage's input spikes come from: the batch's events, or the spike bitmask of a LIF or
 * pool stage (flatten layers are the identity on the flat index and have no stage). `pools`: the
 * sum-pools (no stage either) those spikes pass through, in order; each spike reaches the stage as
 * an event of its window's pooled neuron, so a pooled value is the window's spike count. */
export type SpikeInput = ({ kind: "events" } | { kind: "spikes"; from: LifStage | PoolStage }) & { pools?: SumPoolLayer[] };

interface StageBase {
  /** The layer id (`l<k>`), which every kernel and buffer of the stage carries. */
  id: string;
  kernels: KernelPlan[];
}

/** A layer of LIF neurons (dense or conv connectivity): spikes, activity penalties, an active set;
 * also a spiking readout (dense connectivity, spike-count logits, no penalties). */
export interface LifStage extends StageBase {
  kind: "lif";
  layer: SpikingLayer;
  connectivity: DenseLayer["kind"] | ConvLayer["kind"];
  input: SpikeInput;
  /** Words per (b, t) in this layer's spike bitmask: ceil(N / 32). */
  words: number;
  /** Per-sample active-set entries at the spec's initial room (activeEntries). */
  activeEntries: number;
  /** [W] or, for a recurrent layer, [W, R]. */
  weights: WeightTensor[];
  /** R of a recurrent layer: its own spikes of step t add R's rows to its currents of step t. */
  recurrent: WeightTensor | null;
  /** A spiking readout: its spike counts are the logits and it carries no activity penalty. */
  countLogits: boolean;
  /** The factor on the whole input current (a readout's input_scale; 1 for hidden layers). */
  inputScale: number;
  /** How the forward orders its work (compiler/plan/forward-schedule.ts): step by step (the input
   * currents of step t, then the update of every neuron, then step t+1), or time-parallel (the
   * input currents of every step at once, then each neuron's scan over the steps). */
  forward: ForwardSchedule;
  /** Why that schedule, in words (`snnc inspect`). */
  forwardWhy: string;
}

export type ForwardSchedule = "step-by-step" | "time-parallel";

/**
 * A max-pool on the spikes of a LIF stage: the forward writes the pooled spike bitmask (an OR over
 * each window) that the stage above reads like any other; the backward routes ∂L/∂S of each pooled
 * neuron to the window's first spiking input (else its first input), in the sparse path only where
 * that input is an active neuron-time of `from`.
 */
export interface PoolStage extends StageBase {
  kind: "maxpool";
  layer: MaxPoolLayer;
  from: LifStage;
  words: number;
}

/** The non-spiking readout: logits from its membranes. */
export interface ReadoutStage extends StageBase {
  kind: "readout";
  layer: ReadoutLayer;
  input: SpikeInput;
  weights: WeightTensor[];
}

export type Stage = LifStage | PoolStage | ReadoutStage;

export interface Plan {
  network: Network;
  batch: number;
  /** In layer order; the readout is last. */
  stages: Stage[];
  /** Every kernel, in the order the backends define them. */
  kernels: KernelPlan[];
  /** Each phase's launch sequence, by kernel name. */
  launches: Record<Phase, string[]>;
  /** The whole step with either backward, by kernel name (what `snnc inspect` lists). */
  steps: { sparse: string[]; dense: string[] };
  buffers: BufferPlan[];
  /** Every trained tensor, in layer order. */
  weights: WeightTensor[];
  stats: StatsLayout;
  /** How the host launches a step (compiler/plan/plan-options.ts): CUDA graph, overlapped upload. */
  stepLaunch: StepLaunch;
}
