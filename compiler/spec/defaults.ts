// Defaults, and the one function that fills them in. Every later stage reads a ResolvedSpec, so
// the defaults live here and nowhere else; the schema's descriptions quote the same numbers.

import type {
  ActivityPenalty,
  AdamSpec,
  InitSpec,
  LayerSpec,
  NetworkSpec,
  NeuronParams,
  ResolvedLayerSpec,
  ResolvedRecurrence,
  ResolvedSchedule,
  ResolvedSpec,
  ScheduleSpec,
} from "./types.ts";
import { tauValue } from "./tau.ts";

export const DEFAULT_NEURON: Readonly<NeuronParams> = Object.freeze({
  tau_ms: 10,
  v_th: 1,
  v_reset: 0,
  v_rest: 0,
  b_th: 0.2,
  surrogate_beta: 100,
});

export const DEFAULT_INIT: Readonly<InitSpec> = Object.freeze({ distribution: "uniform", scale: 1 });

/** lambda 0 turns a penalty off; the nu is then irrelevant. */
export const PENALTY_OFF: Readonly<ActivityPenalty> = Object.freeze({ lambda: 0, nu: 0 });

export const DEFAULT_READOUT = Object.freeze({ logits: "max", input_scale: "one" } as const);
export const DEFAULT_CONV = Object.freeze({ stride: 1, padding: 0 });

export const DEFAULT_TRAINING = Object.freeze({
  betas: Object.freeze([0.9, 0.999] as const),
  eps: 1e-8,
  backward: "sparse",
  seed: 0,
  active_capacity: 0.05,
  /** PyTorch's AdamW default. */
  weight_decay: 0.01,
  /** Held out of the training split when the spec says nothing (the runtime applies it: absent
   *  from the resolved spec so older specs keep their hash). */
  validation: 0.1,
} as const);

export const DEFAULT_SCHEDULE = Object.freeze({
  warmup_epochs: 0,
  step_epochs: 10,
  gamma: 0.1,
  min_lr: 0,
  pct_start: 0.3,
  div_factor: 25,
  final_div_factor: 1e4,
} as const);

/** The schedule with its kind's defaults (constant when the spec has none). */
export function resolveSchedule(s: ScheduleSpec | undefined): ResolvedSchedule {
  const d = DEFAULT_SCHEDULE;
  const warmup_epochs = s?.warmup_epochs ?? d.warmup_epochs;
  switch (s?.kind ?? "constant") {
    case "constant":
      return { kind: "constant", warmup_epochs };
    case "step":
      return { kind: "step", warmup_epochs, step_epochs: s?.step_epochs ?? d.step_epochs, gamma: s?.gamma ?? d.gamma };
    case "cosine":
      return { kind: "cosine", warmup_epochs, min_lr: s?.min_lr ?? d.min_lr };
    case "one_cycle":
      return { kind: "one_cycle", pct_start: s?.pct_start ?? d.pct_start, div_factor: s?.div_factor ?? d.div_factor, final_div_factor: s?.final_div_factor ?? d.final_div_factor };
  }
}

export const DEFAULT_DATASET = "synthetic";
export const DEFAULT_DESCRIPTION = "";

/** Defaults, then the top-level `neuron`, then the layer's own `neuron`: later fields win. The
 * optional fields (leak, reset, tau_syn_ms) are dropped at their defaults, so a spec that writes
 * `"reset": "subtract"` hashes like one that does not (and older specs keep their hashes). */
export function resolveNeuron(top?: Partial<NeuronParams>, own?: Partial<NeuronParams>): NeuronParams {
  const n: NeuronParams = { ...DEFAULT_NEURON, ...defined(top), ...defined(own) };
  if (n.leak === true) delete n.leak;
  if (n.reset === "subtract") delete n.reset;
  if (n.learn_adapt === false) delete n.learn_adapt;
  return n;
}

/** `bias: true` when asked for; absent (not false) otherwise, so bias-free specs keep their hashes. */
function biasOf(layer: { bias?: boolean }): { bias?: true } {
  return layer.bias ? { bias: true } : {};
}

export function resolveInit(top?: Partial<InitSpec>, own?: Partial<InitSpec>): InitSpec {
  return { ...DEFAULT_INIT, ...defined(top), ...defined(own) };
}

/** Fills every default into a spec that has passed validation (see validate.ts). */
export function resolveSpec(spec: NetworkSpec): ResolvedSpec {
  const topNeuron = resolveNeuron(spec.neuron);
  const opt = spec.training.optimizer;
  return {
    name: spec.name,
    description: spec.description ?? DEFAULT_DESCRIPTION,
    time: { steps: spec.time.steps, dt_ms: spec.time.dt_ms },
    input: {
      shape: [...spec.input.shape],
      encoding: { ...spec.input.encoding },
      dataset: spec.input.dataset ?? DEFAULT_DATASET,
    },
    layers: spec.layers.map((layer) => resolveLayer(layer, spec, topNeuron)),
    loss: {
      activity_low: { ...(spec.loss?.activity_low ?? PENALTY_OFF) },
      activity_up: { ...(spec.loss?.activity_up ?? PENALTY_OFF) },
    },
    training: {
      batch: spec.training.batch,
      epochs: spec.training.epochs,
      optimizer: resolveOptimizer(opt),
      ...(spec.training.schedule ? { schedule: resolveSchedule(spec.training.schedule) } : {}),
      ...optional("clip_grad_norm", spec.training.clip_grad_norm),
      ...optional("validation", spec.training.validation),
      ...optional("early_stop", spec.training.early_stop),
      ...(spec.training.augment ? { augment: { ...spec.training.augment } } : {}),
      backward: spec.training.backward ?? DEFAULT_TRAINING.backward,
      seed: spec.training.seed ?? DEFAULT_TRAINING.seed,
      active_capacity: spec.training.active_capacity ?? DEFAULT_TRAINING.active_capacity,
    },
  };
}

function resolveLayer(layer: LayerSpec, spec: NetworkSpec, topNeuron: NeuronParams): ResolvedLayerSpec {
  switch (layer.kind) {
    case "dense":
      return {
        kind: "dense",
        size: layer.size,
        neuron: resolveNeuron(spec.neuron, layer.neuron),
        init: resolveInit(spec.init, layer.init),
        ...biasOf(layer),
        ...resolveRecurrence(layer),
      };
    case "conv":
      return {
        kind: "conv",
        filters: layer.filters,
        kernel: layer.kernel,
        stride: layer.stride ?? DEFAULT_CONV.stride,
        padding: layer.padding ?? DEFAULT_CONV.padding,
        neuron: resolveNeuron(spec.neuron, layer.neuron),
        init: resolveInit(spec.init, layer.init),
        ...biasOf(layer),
      };
    case "maxpool":
      return { kind: "maxpool", size: layer.size };
    case "sumpool":
      return { kind: "sumpool", size: layer.size };
    case "flatten":
      return { kind: "flatten" };
    case "readout": {
      // The readout is the same LIF membrane without spikes, so by default it shares the hidden
      // layers' τ and resting potential. Its synapses are its own: CuBa only when it says so
      // (inheriting the top-level tau_syn_ms would leave no way to ask for a plain readout).
      // A spiking readout has a whole neuron of its own; the readout's own tau_ms, v_rest and
      // tau_syn_ms win over its neuron's.
      if (layer.spiking) {
        const { tau_syn_ms: _inherited, ...top } = defined(spec.neuron);
        const own = { ...defined(layer.neuron), ...defined({ tau_ms: layer.tau_ms, v_rest: layer.v_rest, tau_syn_ms: layer.tau_syn_ms }) };
        const neuron = resolveNeuron(top, own);
        return {
          kind: "readout",
          size: layer.size,
          logits: layer.logits ?? "spike_count",
          input_scale: layer.input_scale ?? DEFAULT_READOUT.input_scale,
          tau_ms: tauValue(neuron.tau_ms),
          v_rest: neuron.v_rest,
          ...(neuron.tau_syn_ms !== undefined ? { tau_syn_ms: tauValue(neuron.tau_syn_ms) } : {}),
          ...biasOf(layer),
          init: resolveInit(spec.init, layer.init),
          spiking: true,
          neuron,
          ...resolveRecurrence(layer),
        };
      }
      return {
        kind: "readout",
        size: layer.size,
        logits: layer.logits ?? DEFAULT_READOUT.logits,
        input_scale: layer.input_scale ?? DEFAULT_READOUT.input_scale,
        tau_ms: layer.tau_ms ?? tauValue(topNeuron.tau_ms),
        v_rest: layer.v_rest ?? topNeuron.v_rest,
        ...(layer.tau_syn_ms !== undefined ? { tau_syn_ms: layer.tau_syn_ms } : {}),
        ...biasOf(layer),
        init: resolveInit(spec.init, layer.init),
      };
    }
  }
}

/** R's init does not inherit the top-level "init" (that is sized for the feed-forward input). */
function resolveRecurrence(layer: { recurrent?: boolean; recurrent_init?: Partial<InitSpec> }): ResolvedRecurrence {
  if (!layer.recurrent) return {};
  return { recurrent: true, recurrent_init: resolveInit(undefined, layer.recurrent_init) };
}

// `{ tau_ms: undefined }` from hand-built specs must not erase a default when spread.
function defined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `{ key: value }` when the spec wrote the value, else nothing (keeps older specs' hashes). */
function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function resolveOptimizer(opt: AdamSpec): ResolvedSpec["training"]["optimizer"] {
  const common = {
    lr: opt.lr,
    betas: (opt.betas ? [opt.betas[0], opt.betas[1]] : [DEFAULT_TRAINING.betas[0], DEFAULT_TRAINING.betas[1]]) as [number, number],
    eps: opt.eps ?? DEFAULT_TRAINING.eps,
  };
  return opt.kind === "adamw" ? { kind: "adamw", ...common, weight_decay: opt.weight_decay ?? DEFAULT_TRAINING.weight_decay } : { kind: "adam", ...common };
}
