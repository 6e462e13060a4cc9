// The network spec as a user writes it (models/*.json). Units live in field names (`tau_ms`),
// never in strings. Optional fields are filled by `resolveSpec` (defaults.ts) into a `ResolvedSpec`.

/** A spiking neuron's reset after a spike at step t (none is differentiated):
 *  "subtract": V[t+1] = α·(V[t] − V_rest) + V_rest + I[t] − (V_th − V_r)·S[t];
 *  "subtract_same_step": V[t+1] = α·(V[t] − (V_th − V_r)·S[t] − V_rest) + V_rest + I[t];
 *  "to_reset": V[t+1] = α·(V_r − V_rest) + V_rest + I[t] where S[t] = 1. */
export type ResetMode = "subtract" | "subtract_same_step" | "to_reset";

/** A per-neuron time constant (docs/specs.md, "Per-neuron and trainable τ"): each neuron of the
 *  layer draws its own τ (seeded like the weights), giving α = exp(−Δt/τ) per neuron; `learn: true`
 *  makes α a trained tensor. All in milliseconds. */
export type TauDistribution =
  | { init: "constant"; value: number; learn?: boolean }
  | { init: "gamma"; mean: number; k: number; learn?: boolean }
  | { init: "uniform"; min: number; max: number; learn?: boolean };

/** A time constant: one value for the whole layer (the paper's), or a per-neuron distribution. */
export type TauSpec = number | TauDistribution;

export interface NeuronParams {
  tau_ms: TauSpec;
  v_th: number;
  v_reset: number;
  v_rest: number;
  b_th: number;
  surrogate_beta: number;
  // The fields below stay optional even after defaults are filled (compiler/spec/defaults.ts
  // drops them at their defaults), so a spec without them keeps its hash and its checkpoints.
  /** false: no leak (integrate-and-fire, α = 1). Default true. */
  leak?: boolean;
  /** What a spike does: subtract V_th − V_r at the next update (default), the same subtraction in
   *  the step of the spike (before the next leak), or restart from V_r (docs/design.md §2). */
  reset?: ResetMode;
  /** Synaptic time constant: present = current-based synapses (CuBa), J[t+1] = α_syn·J[t] + I[t]. */
  tau_syn_ms?: TauSpec;
  /** Adaptation time constant: present = an adaptive threshold (ALIF), a[t+1] = ρ·a[t] + S[t],
   *  threshold V_th + β_a·a[t] (compiler/neurons/alif.ts). */
  tau_adapt_ms?: number;
  /** ALIF's β_a (default 1.8). */
  beta_adapt?: number;
  /** ALIF only: train ρ and β_a per neuron (tensors ra<k>, ba<k>; docs/training.md). Default false. */
  learn_adapt?: boolean;
}

export interface LatencyEncoding {
  kind: "latency";
  tau_eff_ms: number;
  theta: number;
}

export interface EventsEncoding {
  kind: "events";
  bin_ms: number;
}

export type Encoding = LatencyEncoding | EventsEncoding;

export type DatasetName = "fashion-mnist" | "nmnist" | "shd" | "synthetic" | "delayed-xor";

export interface InputSpec {
  /** [N], [H, W] or [C, H, W]. */
  shape: number[];
  encoding: Encoding;
  dataset?: DatasetName;
}

export interface InitSpec {
  distribution: "uniform" | "normal";
  /** uniform: U(−scale/√fan_in, +scale/√fan_in); normal: N(0, scale/√fan_in). */
  scale: number;
}

export interface DenseLayerSpec {
  kind: "dense";
  size: number;
  /** A trained bias per neuron, added to the input current at every update. Default false. */
  bias?: boolean;
  neuron?: Partial<NeuronParams>;
  init?: Partial<InitSpec>;
  /** The layer's own spikes feed back through an N×N weight tensor R (docs/design.md §2). */
  recurrent?: boolean;
  /** Init of R; default U(−1/√N, +1/√N) (it does not inherit the top-level "init"). */
  recurrent_init?: Partial<InitSpec>;
}

export interface ConvLayerSpec {
  kind: "conv";
  filters: number;
  kernel: number;
  stride?: number;
  padding?: number;
  /** A trained bias per filter (shared over positions). Default false. */
  bias?: boolean;
  neuron?: Partial<NeuronParams>;
  init?: Partial<InitSpec>;
}

export interface MaxPoolLayerSpec {
  kind: "maxpool";
  size: number;
}

/** Sum-pool on spikes: the pooled value is the window's spike count (0 … size²). */
export interface SumPoolLayerSpec {
  kind: "sumpool";
  size: number;
}

export interface FlattenLayerSpec {
  kind: "flatten";
}

export type LogitsKind = "max" | "sum" | "spike_count";

export interface ReadoutLayerSpec {
  kind: "readout";
  size: number;
  /** "spike_count" (a_c = Σ_t S_c[t]) goes with a spiking readout only, and is its default. */
  logits?: LogitsKind;
  /** The readout spikes like a hidden layer (its own neuron fields), logits are spike counts. */
  spiking?: boolean;
  /** A spiking readout's neuron parameters (tau_ms and v_rest of the readout itself win). */
  neuron?: Partial<NeuronParams>;
  /** Only a spiking readout may be recurrent. */
  recurrent?: boolean;
  recurrent_init?: Partial<InitSpec>;
  /** "one": input as is; "one_minus_alpha": scaled by (1 − α_readout), as the reference code does. */
  input_scale?: "one" | "one_minus_alpha";
  tau_ms?: number;
  v_rest?: number;
  /** Current-based synapses for the readout (not inherited from the top-level neuron). Default: none. */
  tau_syn_ms?: number;
  /** A trained bias per output neuron. Default false. */
  bias?: boolean;
  init?: Partial<InitSpec>;
}

export type LayerSpec =
  | DenseLayerSpec
  | ConvLayerSpec
  | MaxPoolLayerSpec
  | SumPoolLayerSpec
  | FlattenLayerSpec
  | ReadoutLayerSpec;

export interface ActivityPenalty {
  lambda: number;
  nu: number;
}

export interface LossSpec {
  activity_low?: ActivityPenalty;
  activity_up?: ActivityPenalty;
}

export interface AdamSpec {
  kind: "adam" | "adamw";
  lr: number;
  betas?: [number, number];
  eps?: number;
  /** adamw only: decoupled weight decay λ. */
  weight_decay?: number;
}

export type ScheduleKind = "constant" | "step" | "cosine" | "one_cycle";

export interface ScheduleSpec {
  kind: ScheduleKind;
  warmup_epochs?: number;
  step_epochs?: number;
  gamma?: number;
  min_lr?: number;
  pct_start?: number;
  div_factor?: number;
  final_div_factor?: number;
}

/** The schedule with the fields of its kind filled in (and only those). */
export type ResolvedSchedule =
  | { kind: "constant"; warmup_epochs: number }
  | { kind: "step"; warmup_epochs: number; step_epochs: number; gamma: number }
  | { kind: "cosine"; warmup_epochs: number; min_lr: number }
  | { kind: "one_cycle"; pct_start: number; div_factor: number; final_div_factor: number };

export interface AugmentSpec {
  translate?: number;
  flip?: boolean;
  jitter?: number;
  channel_shift?: number;
  drop?: number;
}

export interface TrainingSpec {
  batch: number;
  epochs: number;
  optimizer: AdamSpec;
  schedule?: ScheduleSpec;
  clip_grad_norm?: number;
  validation?: number;
  early_stop?: number;
  augment?: AugmentSpec;
  backward?: "sparse" | "dense";
  seed?: number;
  /** Initial room for active neuron-times, as a fraction of T·N per sample; grows when exceeded. */
  active_capacity?: number;
}

export interface NetworkSpec {
  $schema?: string;
  name: string;
  description?: string;
  time: { steps: number; dt_ms: number };
  input: InputSpec;
  neuron?: Partial<NeuronParams>;
  init?: Partial<InitSpec>;
  layers: LayerSpec[];
  loss?: LossSpec;
  training: TrainingSpec;
}

// ---- After defaults are filled (compiler/spec/defaults.ts): nothing optional is left. ----

/** Present only on a recurrent layer, so the spec hash of every other network is unchanged. */
export interface ResolvedRecurrence {
  recurrent?: true;
  recurrent_init?: InitSpec;
}

export type ResolvedLayerSpec =
  | ({ kind: "dense"; size: number; neuron: NeuronParams; init: InitSpec; bias?: true } & ResolvedRecurrence)
  | {
      kind: "conv";
      filters: number;
      kernel: number;
      stride: number;
      padding: number;
      neuron: NeuronParams;
      init: InitSpec;
      bias?: true;
    }
  | MaxPoolLayerSpec
  | SumPoolLayerSpec
  | FlattenLayerSpec
  | ({
      kind: "readout";
      size: number;
      logits: LogitsKind;
      input_scale: "one" | "one_minus_alpha";
      tau_ms: number;
      v_rest: number;
      tau_syn_ms?: number;
      bias?: true;
      init: InitSpec;
      /** Present only on a spiking readout (hash stability, as above); its tau_ms/v_rest equal the readout's. */
      spiking?: true;
      neuron?: NeuronParams;
    } & ResolvedRecurrence);

export interface ResolvedSpec {
  name: string;
  description: string;
  time: { steps: number; dt_ms: number };
  input: { shape: number[]; encoding: Encoding; dataset: DatasetName };
  layers: ResolvedLayerSpec[];
  loss: { activity_low: ActivityPenalty; activity_up: ActivityPenalty };
  training: {
    batch: number;
    epochs: number;
    /** kind "adamw" carries weight_decay; "adam" has none (both as written, for hash stability). */
    optimizer: { kind: "adam"; lr: number; betas: [number, number]; eps: number } | { kind: "adamw"; lr: number; betas: [number, number]; eps: number; weight_decay: number };
    // The recipe fields below are present only when the spec has them, so specs written before
    // they existed keep their hash (and their checkpoints and builds).
    schedule?: ResolvedSchedule;
    clip_grad_norm?: number;
    validation?: number;
    early_stop?: number;
    augment?: AugmentSpec;
    backward: "sparse" | "dense";
    seed: number;
    active_capacity: number;
  };
}
