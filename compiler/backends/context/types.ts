// The typed rendering context: every name and literal the templates use, finished here so the
// templates hold no arithmetic. A field renamed here fails the type check, not a render.
// `X` is what a backend adds to each stage (CUDA: launch shape and shared-memory staging).

import type { BackendName } from "../backend.ts";
import type { KernelKind } from "../../plan/types.ts";
import type { BiasContext, DecayContext } from "./dynamics.ts";

/** A named C constant with its literal and a comment. */
export interface ConstantContext {
  name: string;
  value: string;
  note: string;
}

/** Where a stage reads its input spikes. */
export interface InputContext {
  /** The batch's input events (else the spike bitmask of `from`). */
  inputEvents: boolean;
  from: string;
  inputName: string;
  /** The sum-pools those spikes pass through, in order (none: `pooled` false). */
  pooled: boolean;
  sumPools: PoolWindow[];
}

/** The window geometry max-pool and sum-pool share: size×size windows, stride = size, no padding. */
export interface PoolWindow {
  id: string;
  size: number;
  channels: number;
  hIn: number;
  wIn: number;
  hOut: number;
  wOut: number;
  nIn: number;
  nOut: number;
}

/** The stage whose ∂L/∂S a weighted stage fills in the backward (none when its input is the data). */
export interface BelowContext {
  hasBelow: boolean;
  below: string;
  /** The active capacity (per sample) that sizes the below stage's entries: a pool's routed entries
   * live in the capacity of the LIF stage under it. */
  belowCapacity: string;
}

export interface ConvGeometry {
  channels: number;
  hIn: number;
  wIn: number;
  filters: number;
  hOut: number;
  wOut: number;
  kernel: number;
  stride: number;
  padding: number;
}

interface StageCommon extends InputContext, BelowContext, BiasContext, DecayContext {
  id: string;
  nIn: number;
  nOut: number;
  /** τ in ms as the comments print it ("∞" without leak). */
  tauMs: number | string;
  /** The feed-forward weight tensor and its size. */
  weight: string;
  weightSize: number;
  /** The between-events propagator for n = 0 … T quiet steps (Proposition 1; the readout's and
   * LIF's: αⁿ) as C literals. */
  propagator: string;
  /** Connectivity: dense (a row of W per input spike) or conv (the taps of each input). */
  isConv: boolean;
  conv: ConvGeometry | null;
  /** CPU sparse backward: a dense layer on unpooled input whose ∇W is large (GROUP_ROWS_MIN_BYTES)
   *  keeps ∂L/∂I of its steps with input, across samples, and adds them to ∇W input row by input
   *  row (add_input_rows, templates/cpu/partials/add-rows.hbs). False for the readout. */
  groupsInputRows: boolean;
  /** A recurrent layer: its R tensor's name (`r<k>`) and size; false, "" and 0 otherwise. */
  recurrent: boolean;
  recurrentWeight: string;
  recurrentSize: number;
}

export interface LifStageContext extends StageCommon {
  kind: "lif";
  kindText: string;
  words: number;
  /** The forward computes every step's input currents first, then scans (the plan's `forward`). */
  timeParallel: boolean;
  /** The CPU forward may skip the updates of words that stay below the band without input, a
   *  neuron being quiet at a membrane ≤ quietMax (a C float literal). */
  skipsQuiet: boolean;
  quietMax: string;
  /** The neuron model, its C++ hooks (a partial) and its constants. */
  neuronModel: string;
  neuronPartial: string;
  propagatorWidth: number;
  /** The model's inject reads the entry's surrogate g (NeuronModel.injectReadsSurrogate). */
  injectReadsSurrogate: boolean;
  neuronConstants: ConstantContext[];
  penaltyConstants: ConstantContext[];
  /** reset to_reset: a spike at t+1 cuts the V adjoint (the model's `restart` hook), so the
   * backward reads the layer's own spikes as events. */
  resetToVr: boolean;
  /** reset subtract_same_step: the forward subtracts V_th − V_r before the leak (the model's
   * `advance`); the backward is subtract's, the reset being a constant either way. */
  resetSameStep: boolean;
  /** The index (in the buffer table) of this stage's act_offsets: the host reads each sample's
   *  active-set size there when a step overflowed. */
  activeOffsetsSlot: number;
  statSpikes: number;
  statActive: number;
  /** A spiking readout: logits are its spike counts, no activity penalty. */
  countLogits: boolean;
  /** Whether the input current is scaled (a spiking readout's input_scale ≠ 1), and by what. */
  scaledInput: boolean;
  inputScale: string;
}

export interface PoolStageContext extends PoolWindow {
  kind: "maxpool";
  from: string;
  words: number;
}

export interface ReadoutStageContext extends StageCommon {
  kind: "readout";
  alpha: string;
  vRest: string;
  inputScale: string;
  inputScaleMode: string;
  logits: string;
  logitsMax: string;
  /** CuBa synapses on the readout: J[t+1] = α_syn·J[t] + scale·I[t]. */
  hasSynapse: boolean;
  alphaSyn: string;
}

export type StageContext<X = object> = (LifStageContext & X) | (PoolStageContext & X) | (ReadoutStageContext & X);

/** One kernel as its template sees it: the kernel's fields and its stage's, side by side. */
export type KernelContext<X = object> = {
  kernel: string;
  kernelKind: KernelKind;
  /** The partial that renders it: `<backend>/kernels/<kernel kind>` (templates/…/*.hbs). */
  partial: string;
  mode: "sparse" | "dense" | "";
  sparse: boolean;
} & (Partial<StageContext<X>> | { weightName: string; weightSize: number; decayClamp?: DecayClamp });

export interface BufferContext {
  name: string;
  ctype: string;
  what: string;
  pathEnum: string;
  /** How its element count follows the run-time batch and capacities (network-api.h's Scale). */
  scale: BufferScaleContext;
  /** Where a gradient tensor starts in the model's one gradient arena (floats), -1 for every other
   *  buffer: data-parallel training reduces all gradients with one call over the arena. */
  arenaOffset: number;
}

/** network-api.h's BufferInfo fields: FIXED count, PER_SAMPLE batch·count + extra, ACTIVE batch ·
 *  the capacity of LIF stage `stage` (its index among the LIF stages), EVENTS the input events'
 *  capacity. */
export interface BufferScaleContext {
  kind: "FIXED" | "PER_SAMPLE" | "ACTIVE" | "EVENTS";
  count: number;
  extra: number;
  stage: number;
}

export interface StatContext {
  constant: string;
  index: number;
  what: string;
}

/** How an Adam step keeps a per-neuron parameter in range (C literals) and why it takes no decay. */
export interface DecayClamp {
  min: string;
  /** Absent: no upper bound (β_a). */
  max?: string;
  note: string;
  noDecay: string;
}

export interface RenderContext<X = object> {
  backend: BackendName;
  kernelExt: string;
  banner: string;
  hashBanner: string;
  name: string;
  moduleName: string;
  specHash: string;
  steps: number;
  nInput: number;
  classes: number;
  stages: StageContext<X>[];
  lifStages: (LifStageContext & X)[];
  pools: (PoolStageContext & X)[];
  /** Every sum-pool layer (no stage: each is a window map the layer above reads through). */
  sumPools: PoolWindow[];
  /** The non-spiking readout's stage; null when the readout spikes (it is then a LIF stage). */
  readout: (ReadoutStageContext & X) | null;
  /** Every kernel in definition order. */
  kernels: KernelContext<X>[];
  /** Each phase's launch sequence (kernel names as the plan gives them). */
  launches: { forward: KernelContext<X>[]; backwardSparse: KernelContext<X>[]; backwardDense: KernelContext<X>[]; adam: KernelContext<X>[] };
  weights: { name: string; size: number }[];
  /** Stages whose dense ∂L/∂S buffer the dense backward zeroes first. */
  denseGradSpikes: { id: string }[];
  adam: { beta1: string; beta2: string };
  /** Clipping by the global gradient norm (training.clip_grad_norm), or null: its bound as a C
   *  double literal and the weights the norm runs over. */
  clip: { maxNorm: string; weightTotal: number } | null;
  buffers: BufferContext[];
  /** Floats in the gradient arena: every gradient tensor, each from a 256-byte boundary. */
  gradArenaFloats: number;
  /** Some stage trains a per-neuron decay: the CPU workspace then holds per-thread copies of ∇α. */
  anyLearnsDecay: boolean;
  /** Some stage's sparse backward may add ∇W input row by input row: the CPU file then has
   *  add_input_rows and the workspace per-thread rows for it. */
  anyGroupsInputRows: boolean;
  stats: StatContext[];
  statsLength: number;
  eventsPerSample: number;
  /** Where the binding (addon.cpp) finds the buffers it reads and writes itself. */
  slots: { inOffsets: number; inIndices: number; labels: number; stats: number };
  /** Build flags the emitted CMakeLists.txt uses. */
  flags: string;
  /** The plan's step launch options (compiler/plan/plan-options.ts; CUDA only). */
  stepGraph: boolean;
  overlapUpload: boolean;
  /** Either of them: the model keeps host state between steps (CUDA's Workspace). */
  stepLaunchState: boolean;
}
