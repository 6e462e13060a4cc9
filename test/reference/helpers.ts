// Hand-built Network IR objects for the oracle's tests. There is deliberately no dependency on
// compiler/ir/lower.ts: these follow compiler/ir/types.ts directly (α = exp(−Δt/τ),
// resetAmount = V_th − V_r, readout inputScale = 1 or 1 − α).

import type { DenseLayer, Layer, NeuronIR, Network, ReadoutLayer, WeightTensor } from "../../compiler/ir/types.ts";
import type { NetworkSpec, NeuronParams, ResetMode } from "../../compiler/spec/types.ts";

export interface LifOptions {
  tauMs?: number;
  /** Overrides exp(−Δt/τ) (e.g. exactly 0.5 for hand-computed cases). */
  alpha?: number;
  vTh?: number;
  vReset?: number;
  vRest?: number;
  bTh?: number;
  beta?: number;
  /** Default "subtract". */
  reset?: ResetMode;
  /** false: integrate-and-fire (α = 1, τ null). */
  leak?: boolean;
  /** CuBa synapses (τ_syn in ms, or alphaSyn directly). */
  tauSynMs?: number;
  alphaSyn?: number;
  /** A bias tensor after the layer's weights. */
  bias?: boolean;
  /** ALIF: the adaptation's decay ρ (per step) and β_a (default 1). */
  rho?: number;
  betaAdapt?: number;
}

export interface ReadoutOptions {
  classes: number;
  tauMs?: number;
  alpha?: number;
  vRest?: number;
  logits?: "max" | "sum";
  inputScaleMode?: "one" | "one_minus_alpha";
  /** CuBa synapses on the readout: α_syn. */
  alphaSyn?: number;
  bias?: boolean;
}

export interface NetworkOptions {
  name?: string;
  inputs: number;
  steps: number;
  dtMs?: number;
  /** recurrent: the layer also gets R [size, size] (`r<k>`, after its W). */
  hidden: Array<{ size: number; recurrent?: boolean } & LifOptions>;
  readout: ReadoutOptions;
  loss?: Network["loss"];
  batch?: number;
}

export function lifParams(o: LifOptions, dtMs: number): NeuronIR {
  const leak = o.leak ?? true;
  const tauMs = o.tauMs ?? (o.alpha !== undefined ? -dtMs / Math.log(o.alpha) : 10);
  const vTh = o.vTh ?? 1;
  const vReset = o.vReset ?? 0;
  const membrane = {
    tauMs: leak ? tauMs : null,
    alpha: leak ? (o.alpha ?? Math.exp(-dtMs / tauMs)) : 1,
    leak,
    reset: o.reset ?? "subtract",
    vTh,
    vReset,
    vRest: o.vRest ?? 0,
    resetAmount: vTh - vReset,
    bTh: o.bTh ?? 0.4,
    beta: o.beta ?? 10,
  } as const;
  if (o.rho !== undefined) return { model: "alif", ...membrane, tauAdaptMs: -dtMs / Math.log(o.rho), rho: o.rho, betaAdapt: o.betaAdapt ?? 1 };
  if (o.tauSynMs === undefined && o.alphaSyn === undefined) return { model: "lif", ...membrane };
  const alphaSyn = o.alphaSyn ?? Math.exp(-dtMs / o.tauSynMs!);
  return { model: "cuba-lif", ...membrane, tauSynMs: o.tauSynMs ?? -dtMs / Math.log(alphaSyn), alphaSyn };
}

function biasTensor(index: number, size: number): WeightTensor {
  return { name: `b${index + 1}`, role: "bias", shape: [size], size, init: { distribution: "zeros", scale: 0, fanIn: 0, bound: 0 } };
}

function weightTensor(index: number, nIn: number, nOut: number): WeightTensor {
  return {
    name: `w${index + 1}`,
    role: "feedforward",
    shape: [nIn, nOut],
    size: nIn * nOut,
    init: { distribution: "uniform", scale: 1, fanIn: nIn, bound: 1 / Math.sqrt(nIn) },
  };
}

export function buildNetwork(o: NetworkOptions): Network {
  const dtMs = o.dtMs ?? 1;
  const layers: Layer[] = [];
  let nIn = o.inputs;
  o.hidden.forEach((h, index) => {
    const layer: DenseLayer = {
      id: `l${index + 1}`,
      index,
      kind: "dense",
      inShape: [nIn],
      outShape: [h.size],
      nIn,
      nOut: h.size,
      neuron: lifParams(h, dtMs),
      weights: [
        weightTensor(index, nIn, h.size),
        ...(h.recurrent ? [{ ...weightTensor(index, h.size, h.size), name: `r${index + 1}`, role: "recurrent" as const }] : []),
        ...(h.bias ? [biasTensor(index, h.size)] : []),
      ],
    };
    layers.push(layer);
    nIn = h.size;
  });
  const r = o.readout;
  const index = o.hidden.length;
  const tauMs = r.tauMs ?? (r.alpha !== undefined ? -dtMs / Math.log(r.alpha) : 20);
  const alpha = r.alpha ?? Math.exp(-dtMs / tauMs);
  const inputScaleMode = r.inputScaleMode ?? "one";
  const readout: ReadoutLayer = {
    id: `l${index + 1}`,
    index,
    kind: "readout",
    inShape: [nIn],
    outShape: [r.classes],
    nIn,
    nOut: r.classes,
    tauMs,
    alpha,
    vRest: r.vRest ?? 0,
    logits: r.logits ?? "max",
    inputScaleMode,
    inputScale: inputScaleMode === "one_minus_alpha" ? 1 - alpha : 1,
    ...(r.alphaSyn !== undefined ? { synapse: { tauSynMs: -dtMs / Math.log(r.alphaSyn), alphaSyn: r.alphaSyn } } : {}),
    weights: [weightTensor(index, nIn, r.classes), ...(r.bias ? [biasTensor(index, r.classes)] : [])],
  };
  layers.push(readout);
  return {
    name: o.name ?? "hand-built",
    specHash: "0".repeat(64),
    steps: o.steps,
    dtMs,
    input: { shape: [o.inputs], size: o.inputs, encoding: { kind: "events", binMs: dtMs }, dataset: "synthetic" },
    layers,
    classes: r.classes,
    loss: o.loss ?? { activityLow: { lambda: 0, nu: 0 }, activityUp: { lambda: 0, nu: 0 } },
    training: {
      batch: o.batch ?? 1,
      epochs: 1,
      adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      weightDecay: 0,
      clipGradNorm: null,
      schedule: { kind: "constant", warmup_epochs: 0 },
      validation: 0,
      earlyStop: null,
      augment: {},
      backward: "sparse",
      seed: 0,
      activeCapacity: 0.25,
    },
  };
}

/**
 * A test-only stand-in for lowering, for the complete dense specs that randomSpec produces (every
 * neuron field given globally, layers overriding some). Not the compiler's lowering.
 */
export function networkFromSpec(spec: NetworkSpec): Network {
  const dtMs = spec.time.dt_ms;
  if (spec.input.shape.length !== 1) throw new Error("networkFromSpec: only [N] inputs");
  const hidden: NetworkOptions["hidden"] = [];
  let readout: ReadoutOptions | undefined;
  for (const layer of spec.layers) {
    if (layer.kind === "dense") {
      const n = { ...spec.neuron, ...layer.neuron } as Partial<NeuronParams>;
      for (const key of ["tau_ms", "v_th", "v_reset", "v_rest", "b_th", "surrogate_beta"] as const) {
        if (n[key] === undefined) throw new Error(`networkFromSpec: neuron.${key} missing`);
      }
      hidden.push({
        size: layer.size,
        tauMs: n.tau_ms as number,
        vTh: n.v_th,
        vReset: n.v_reset,
        vRest: n.v_rest,
        bTh: n.b_th,
        beta: n.surrogate_beta,
      });
    } else if (layer.kind === "readout") {
      if (layer.spiking || layer.logits === "spike_count") throw new Error("networkFromSpec: spiking readouts not supported");
      if (layer.tau_ms === undefined) throw new Error("networkFromSpec: readout tau_ms missing");
      readout = {
        classes: layer.size,
        tauMs: layer.tau_ms,
        vRest: layer.v_rest ?? 0,
        logits: layer.logits ?? "max",
        inputScaleMode: layer.input_scale ?? "one",
      };
    } else {
      throw new Error(`networkFromSpec: layer kind ${layer.kind} not supported`);
    }
  }
  if (!readout) throw new Error("networkFromSpec: no readout");
  const low = spec.loss?.activity_low ?? { lambda: 0, nu: 0 };
  const up = spec.loss?.activity_up ?? { lambda: 0, nu: 0 };
  return buildNetwork({
    name: spec.name,
    inputs: spec.input.shape[0],
    steps: spec.time.steps,
    dtMs,
    hidden,
    readout,
    loss: { activityLow: { ...low }, activityUp: { ...up } },
    batch: spec.training.batch,
  });
}

/** [nIn, nOut] of each weighted layer, in order. */
export function weightSizes(net: Network): { nIn: number; nOut: number }[] {
  return net.layers
    .filter((l) => l.kind === "dense" || l.kind === "readout")
    .map((l) => ({ nIn: l.nIn, nOut: l.nOut }));
}

export type StackLayer =
  | ({ kind: "conv"; filters: number; kernel: number; stride?: number; padding?: number } & LifOptions)
  | ({ kind: "dense"; size: number } & LifOptions)
  | { kind: "maxpool" | "sumpool"; size: number }
  | { kind: "flatten" };

/**
 * A hand-built Network with spatial layers: `input` is [C, H, W]; `layers` are conv / dense /
 * maxpool / sumpool / flatten in order, then the readout. Shapes follow compiler/spec/shapes.ts
 * (conv: ⌊(H + 2p − k)/s⌋ + 1; max-pool: ⌊H/k⌋), written out here independently.
 */
export function buildStackNetwork(o: {
  input: [number, number, number];
  steps: number;
  dtMs?: number;
  layers: StackLayer[];
  readout: ReadoutOptions;
  loss?: Network["loss"];
  batch?: number;
}): Network {
  const dtMs = o.dtMs ?? 1;
  const base = buildNetwork({ inputs: 1, steps: o.steps, dtMs, hidden: [], readout: o.readout, loss: o.loss, batch: o.batch });
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const layers: Layer[] = [];
  let shape: number[] = [...o.input];
  o.layers.forEach((spec, index) => {
    const inShape = shape;
    const common = { id: `l${index + 1}`, index, inShape, nIn: size(inShape) };
    if (spec.kind === "conv") {
      const [C, H, W] = inShape;
      const s = spec.stride ?? 1;
      const p = spec.padding ?? 0;
      shape = [spec.filters, Math.floor((H + 2 * p - spec.kernel) / s) + 1, Math.floor((W + 2 * p - spec.kernel) / s) + 1];
      const fanIn = C * spec.kernel * spec.kernel;
      layers.push({
        ...common, kind: "conv", outShape: shape, nOut: size(shape), filters: spec.filters, kernel: spec.kernel, stride: s, padding: p,
        neuron: lifParams(spec, dtMs),
        weights: [
          { name: `w${index + 1}`, role: "feedforward", shape: [spec.filters, C, spec.kernel, spec.kernel], size: spec.filters * fanIn, init: { distribution: "uniform", scale: 1, fanIn, bound: 1 / Math.sqrt(fanIn) } },
          ...(spec.bias ? [biasTensor(index, spec.filters)] : []),
        ],
      });
    } else if (spec.kind === "dense") {
      shape = [spec.size];
      layers.push({ ...common, kind: "dense", outShape: shape, nOut: spec.size, neuron: lifParams(spec, dtMs), weights: [weightTensor(index, common.nIn, spec.size), ...(spec.bias ? [biasTensor(index, spec.size)] : [])] });
    } else if (spec.kind === "maxpool" || spec.kind === "sumpool") {
      shape = [inShape[0], Math.floor(inShape[1] / spec.size), Math.floor(inShape[2] / spec.size)];
      layers.push({ ...common, kind: spec.kind, outShape: shape, nOut: size(shape), size: spec.size });
    } else {
      shape = [size(inShape)];
      layers.push({ ...common, kind: "flatten", outShape: shape, nOut: size(shape) });
    }
  });
  const ro = base.layers[0] as ReadoutLayer;
  const index = o.layers.length;
  const nIn = size(shape);
  layers.push({ ...ro, id: `l${index + 1}`, index, inShape: [nIn], nIn, weights: [weightTensor(index, nIn, ro.nOut), ...(o.readout.bias ? [biasTensor(index, ro.nOut)] : [])] });
  return { ...base, input: { ...base.input, shape: [...o.input], size: size(o.input) }, layers };
}
