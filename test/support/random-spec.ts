// Random but valid dense network specs for numerics tests of the generated kernels against the
// float64 oracle (test/reference). Deterministic per seed; every optional field is written out.

import type { ConvLayerSpec, DenseLayerSpec, LayerSpec, NetworkSpec, NeuronParams, TauDistribution } from "../../compiler/spec/types.ts";
import { Rng } from "../../runtime/util/rng.ts";

/** The ranges randomSpec draws from (the test checks specs against these). */
export const RANDOM_SPEC_RANGES = {
  depth: [1, 3],
  size: [1, 40],
  largeSize: [33, 70],
  classes: [2, 6],
  steps: [4, 40],
  dtMs: [0.5, 2],
  tauMs: [2, 30],
  vTh: [0.5, 1.5],
  /** v_reset in [0, v_th/2]. */
  vRest: [-0.1, 0.1],
  bTh: [0.05, 0.5],
  beta: [1, 100],
  batch: [1, 9],
  inputs: [1, 60],
  lambdaLow: [0, 1],
  nuLow: [0, 3],
  lambdaUp: [0, 1],
  /** ν_up is drawn from nuUpSmall (L_up usually active) four times in five, else up to nuUp[1]. */
  nuUp: [0, 15],
  nuUpSmall: [0, 1.5],
  lr: 1e-3,
} as const;

const R = RANDOM_SPEC_RANGES;

/** Round to 4 decimals so specs stay readable in failure messages (down, to keep upper bounds). */
function r4(x: number): number {
  return Math.floor(x * 1e4) / 1e4;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)];
}

function neuron(rng: Rng): NeuronParams {
  const v_th = r4(rng.uniform(R.vTh[0], R.vTh[1]));
  return {
    tau_ms: r4(rng.uniform(R.tauMs[0], R.tauMs[1])),
    v_th,
    v_reset: r4(rng.uniform(0, v_th / 2)),
    v_rest: r4(rng.uniform(R.vRest[0], R.vRest[1])),
    b_th: r4(rng.uniform(R.bTh[0], R.bTh[1])),
    // log-uniform: small and large slopes equally often
    surrogate_beta: r4(Math.min(R.beta[1], Math.exp(rng.uniform(Math.log(R.beta[0]), Math.log(R.beta[1]))))),
  };
}

/** Extras randomSpec draws only when asked, from a stream of their own, so randomSpec(seed) without
 * options is exactly what it always was. */
export interface RandomSpecOptions {
  /** Which hidden layers are recurrent: the first, the last, every one, or each with probability ½. */
  recurrent?: "first" | "last" | "all" | "some";
  /** A spiking readout (spike-count logits) with a neuron of its own; `"recurrent"` makes it recurrent too. */
  spikingReadout?: true | "recurrent";
}

/** Recurrence and the spiking readout are drawn first (stream 0x7ec), then the neuron options
 * (withDynamics, stream 0xd1a), each only when asked: a spec that asks for one kind of option is
 * exactly what it was before the other kind existed. */
export function randomSpec(seed: number, opts: RandomSpecOptions & DynamicsOptions = {}): NetworkSpec {
  const { recurrent, spikingReadout, ...dynamics } = opts;
  const spec = withRecurrence(randomPlainSpec(seed), seed, { recurrent, spikingReadout });
  return Object.values(dynamics).some((v) => v) ? withDynamics(spec, seed, dynamics) : spec;
}

function withRecurrence(spec: NetworkSpec, seed: number, opts: RandomSpecOptions): NetworkSpec {
  if (opts.recurrent === undefined && opts.spikingReadout === undefined) return spec;
  const rng = new Rng(mixSeedLocal(seed, 0x7ec));
  const hidden = spec.layers.filter((l): l is DenseLayerSpec => l.kind === "dense");
  hidden.forEach((l, k) => {
    const pickIt =
      opts.recurrent === "all" || (opts.recurrent === "first" && k === 0) || (opts.recurrent === "last" && k === hidden.length - 1) || (opts.recurrent === "some" && rng.next() < 0.5);
    if (pickIt) {
      l.recurrent = true;
      l.recurrent_init = { distribution: "uniform", scale: 1 };
    }
  });
  if (opts.recurrent) spec.name += `-rec-${opts.recurrent}`;
  if (opts.spikingReadout) {
    const ro = spec.layers[spec.layers.length - 1];
    if (ro.kind !== "readout") throw new Error("randomSpec: the last layer is not the readout");
    const own = neuron(rng);
    ro.spiking = true;
    ro.logits = "spike_count";
    // tau_ms and v_rest stay the readout's own (they win over its neuron's).
    ro.neuron = { v_th: own.v_th, v_reset: own.v_reset, b_th: own.b_th, surrogate_beta: own.surrogate_beta };
    if (opts.spikingReadout === "recurrent") {
      ro.recurrent = true;
      ro.recurrent_init = { distribution: "uniform", scale: 1 };
    }
    spec.name += opts.spikingReadout === "recurrent" ? "-spiking-rec" : "-spiking";
  }
  return spec;
}

function randomPlainSpec(seed: number): NetworkSpec {
  const rng = new Rng(seed);
  const steps = rng.int(R.steps[0], R.steps[1]);
  const dt_ms = r4(rng.uniform(R.dtMs[0], R.dtMs[1]));
  const inputs = rng.int(R.inputs[0], R.inputs[1]);
  const globalNeuron = neuron(rng);

  const depth = rng.int(R.depth[0], R.depth[1]);
  const layers: LayerSpec[] = [];
  for (let k = 0; k < depth; k++) {
    // Mostly 1–40 (rarely a multiple of 32), sometimes 33–70 (more than one warp).
    const size = rng.next() < 0.25 ? rng.int(R.largeSize[0], R.largeSize[1]) : rng.int(R.size[0], R.size[1]);
    const layer: DenseLayerSpec = { kind: "dense", size, init: { distribution: "uniform", scale: 1 } };
    const u = rng.next();
    if (u < 0.25) {
      // Own time constant only.
      layer.neuron = { tau_ms: r4(rng.uniform(R.tauMs[0], R.tauMs[1])) };
    } else if (u < 0.45) {
      // A whole parameter set of its own (v_th and v_reset always together, so v_reset ≤ v_th/2).
      layer.neuron = neuron(rng);
    }
    layers.push(layer);
  }
  const classes = rng.int(R.classes[0], R.classes[1]);
  layers.push({
    kind: "readout",
    size: classes,
    logits: pick(rng, ["max", "sum"] as const),
    input_scale: pick(rng, ["one", "one_minus_alpha"] as const),
    tau_ms: r4(rng.uniform(R.tauMs[0], R.tauMs[1])),
    v_rest: r4(rng.uniform(R.vRest[0], R.vRest[1])),
    init: { distribution: "uniform", scale: 1 },
  });

  const batch = rng.int(R.batch[0], R.batch[1]);
  return {
    name: `random-${seed}`,
    description: `random dense spec for numerics tests (seed ${seed})`,
    time: { steps, dt_ms },
    input: { shape: [inputs], encoding: { kind: "events", bin_ms: dt_ms }, dataset: "synthetic" },
    neuron: globalNeuron,
    init: { distribution: "uniform", scale: 1 },
    layers,
    // ν not rounded: a 4-decimal ν could equal a spike-count mean k/N exactly (a kink).
    loss: {
      activity_low: { lambda: r4(rng.uniform(R.lambdaLow[0], R.lambdaLow[1])), nu: rng.uniform(R.nuLow[0], R.nuLow[1]) },
      activity_up: { lambda: r4(rng.uniform(R.lambdaUp[0], R.lambdaUp[1])), nu: rng.next() < 0.8 ? rng.uniform(R.nuUpSmall[0], R.nuUpSmall[1]) : rng.uniform(R.nuUpSmall[1], R.nuUp[1]) },
    },
    training: {
      batch,
      epochs: 1,
      optimizer: { kind: "adam", lr: R.lr, betas: [0.9, 0.999], eps: 1e-8 },
      backward: "sparse",
      seed,
    },
  };
}

/** The ranges randomConvSpec draws from. */
export const RANDOM_CONV_SPEC_RANGES = {
  channels: [1, 2],
  side: [5, 9],
  filters: [2, 6],
  kernel: [2, 3],
  stride: [1, 2],
  padding: [0, 1],
  classes: [2, 5],
  steps: [6, 20],
  batch: [1, 4],
} as const;

/** What randomConvSpec draws beyond its base network. The sum-pool options draw from their own
 * stream, after the base draws, so specs without them are exactly as before. */
export interface ConvSpecOptions {
  dense?: boolean;
  pool?: boolean;
  secondConv?: boolean;
  /** The pool after the first conv is a sum-pool (size 2 or 3) instead of a max-pool 2; a second
   * conv then draws its kernel 1–3, stride 1–2 and padding 0–1. */
  sumpool?: boolean;
  /** A max-pool 2 after the first conv, then the sum-pool (needs `sumpool`). */
  maxThenSum?: boolean;
  /** A second sum-pool right after the first (size 2 where the first leaves ≥ 2×2, else 1). */
  chain?: boolean;
  /** A sum-pool 2 on the input events, before the first conv. */
  inputPool?: boolean;
  /** A sum-pool 2 after the second conv (needs `secondConv`). */
  poolAfterSecond?: boolean;
  /** Input channels, replacing the drawn 1–2. */
  channels?: number;
}

/**
 * A random conv network spec (input [C, H, W] events → conv LIF → optional max-pool 2 → flatten →
 * readout), deterministic per seed; drawn from its own stream so randomSpec is unchanged. With
 * `dense`, a dense LIF layer sits between the flatten and the readout; with `secondConv`, a second
 * conv layer reads the first's (pooled) spikes.
 */
export function randomConvSpec(seed: number, opts: ConvSpecOptions & { dynamics?: DynamicsOptions } = {}): NetworkSpec {
  const spec = randomPlainConvSpec(seed, opts);
  return opts.dynamics ? withDynamics(spec, seed, opts.dynamics) : spec;
}

function randomPlainConvSpec(seed: number, opts: ConvSpecOptions): NetworkSpec {
  const C = RANDOM_CONV_SPEC_RANGES;
  const rng = new Rng(mixSeedLocal(seed, 0xc0de));
  const steps = rng.int(C.steps[0], C.steps[1]);
  const dt_ms = r4(rng.uniform(R.dtMs[0], R.dtMs[1]));
  const shape = [rng.int(C.channels[0], C.channels[1]), rng.int(C.side[0], C.side[1]), rng.int(C.side[0], C.side[1])];
  const kernel = rng.int(C.kernel[0], C.kernel[1]);
  const stride = rng.int(C.stride[0], C.stride[1]);
  const padding = rng.int(C.padding[0], C.padding[1]);
  const filters = rng.int(C.filters[0], C.filters[1]);
  const ho = Math.floor((shape[1] + 2 * padding - kernel) / stride) + 1;
  const wo = Math.floor((shape[2] + 2 * padding - kernel) / stride) + 1;
  const globalNeuron = neuron(rng);
  const layers: LayerSpec[] = [{ kind: "conv", filters, kernel, stride, padding, init: { distribution: "uniform", scale: 1 } }];
  const pool = opts.pool ?? rng.next() < 0.6;
  if (opts.sumpool) {
    sumPoolLayers(layers, shape, [filters, ho, wo], rng, opts);
  } else {
    if (pool && ho >= 2 && wo >= 2) layers.push({ kind: "maxpool", size: 2 });
    // A second conv (k2 s1 p1, so any input size works) reading the first's (pooled) spikes.
    if (opts.secondConv) layers.push({ kind: "conv", filters: rng.int(2, 4), kernel: 2, stride: 1, padding: 1, neuron: { tau_ms: r4(rng.uniform(R.tauMs[0], R.tauMs[1])) } });
  }
  layers.push({ kind: "flatten" });
  if (opts.dense) layers.push({ kind: "dense", size: rng.int(3, 20), neuron: { tau_ms: r4(rng.uniform(R.tauMs[0], R.tauMs[1])) } });
  layers.push({
    kind: "readout",
    size: rng.int(C.classes[0], C.classes[1]),
    logits: pick(rng, ["max", "sum"] as const),
    input_scale: pick(rng, ["one", "one_minus_alpha"] as const),
    tau_ms: r4(rng.uniform(R.tauMs[0], R.tauMs[1])),
    v_rest: r4(rng.uniform(R.vRest[0], R.vRest[1])),
    init: { distribution: "uniform", scale: 1 },
  });
  if (opts.channels !== undefined) shape[0] = opts.channels;
  return {
    name: `random-conv-${seed}${opts.sumpool ? "-sum" : ""}${opts.dense ? "-dense" : ""}${opts.secondConv ? "-conv2" : ""}`,
    description: `random conv spec for numerics tests (seed ${seed})`,
    time: { steps, dt_ms },
    input: { shape, encoding: { kind: "events", bin_ms: dt_ms }, dataset: "synthetic" },
    neuron: globalNeuron,
    init: { distribution: "uniform", scale: 1 },
    layers,
    loss: {
      activity_low: { lambda: r4(rng.uniform(R.lambdaLow[0], R.lambdaLow[1])), nu: rng.uniform(R.nuLow[0], R.nuLow[1]) },
      activity_up: { lambda: r4(rng.uniform(R.lambdaUp[0], R.lambdaUp[1])), nu: rng.uniform(R.nuUpSmall[0], R.nuUpSmall[1]) },
    },
    training: {
      batch: rng.int(C.batch[0], C.batch[1]),
      epochs: 1,
      optimizer: { kind: "adam", lr: R.lr, betas: [0.9, 0.999], eps: 1e-8 },
      backward: "sparse",
      seed,
    },
  };
}

/** A second seed stream (kept local so randomSpec's draws stay exactly as they were). */
function mixSeedLocal(a: number, b: number): number {
  return (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b) >>> 0;
}

/**
 * The sum-pool variants' layers after the first conv (whose output is `out`), drawn from a stream of
 * their own. With `inputPool` the first conv reads a sum-pool 2 of the input: it is inserted before
 * it, and the conv's geometry is kept valid by shrinking the kernel where the pooled input is small.
 */
function sumPoolLayers(layers: LayerSpec[], input: number[], out: number[], base: Rng, opts: ConvSpecOptions): void {
  const rng = new Rng(mixSeedLocal(base.int(0, 0x7fffffff), 0x5a11));
  let [, h, w] = out;
  if (opts.inputPool) {
    const conv = layers[0] as ConvLayerSpec;
    const [ih, iw] = [Math.floor(input[1] / 2), Math.floor(input[2] / 2)];
    conv.kernel = Math.min(conv.kernel, ih + 2 * conv.padding!, iw + 2 * conv.padding!);
    layers.unshift({ kind: "sumpool", size: 2 });
    h = Math.floor((ih + 2 * conv.padding! - conv.kernel) / conv.stride!) + 1;
    w = Math.floor((iw + 2 * conv.padding! - conv.kernel) / conv.stride!) + 1;
  }
  const pool = (size: number) => {
    if (h < size || w < size) return;
    layers.push({ kind: "sumpool", size });
    h = Math.floor(h / size);
    w = Math.floor(w / size);
  };
  if (opts.maxThenSum) {
    if (h >= 2 && w >= 2) layers.push({ kind: "maxpool", size: 2 });
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
  }
  if (!opts.inputPool) pool(Math.min(rng.next() < 0.3 ? 3 : 2, h, w));
  if (opts.chain) pool(h >= 2 && w >= 2 ? 2 : 1);
  if (opts.secondConv) {
    const stride = rng.int(1, 2);
    const padding = rng.int(0, 1);
    const kernel = Math.min(rng.int(1, 3), h + 2 * padding, w + 2 * padding);
    layers.push({ kind: "conv", filters: rng.int(2, 4), kernel, stride, padding, neuron: { tau_ms: r4(rng.uniform(R.tauMs[0], R.tauMs[1])) } });
    h = Math.floor((h + 2 * padding - kernel) / stride) + 1;
    w = Math.floor((w + 2 * padding - kernel) / stride) + 1;
    if (opts.poolAfterSecond) pool(2);
  }
}

/**
 * The neuron options beyond the paper's LIF (docs/design.md §2) that randomSpec / randomConvSpec
 * add when asked: each named option is given to every spiking layer with probability 1/2, and
 * always to the first, so a spec asked for a feature has it. Drawn from a stream of its own after
 * the plain spec, so the plain spec's draws (and randomSpec(seed) without options) are unchanged.
 */
export interface DynamicsOptions {
  /** A trained bias (per neuron; per filter on conv layers). */
  bias?: boolean;
  /** No leak: integrate-and-fire (`"leak": false`; the layer's own tau_ms/v_rest are dropped). */
  noLeak?: boolean;
  /** `"reset": "to_reset"`. */
  toReset?: boolean;
  /** CuBa synapses (`tau_syn_ms` in [1, 15]). */
  cuba?: boolean;
  /** A bias on the readout. */
  readoutBias?: boolean;
  /** CuBa synapses on the readout. */
  readoutCuba?: boolean;
  /** A spiking readout's neuron restarts from V_r (`"reset": "to_reset"`). */
  readoutToReset?: boolean;
  /** A spiking readout without leak (`"leak": false`). */
  readoutNoLeak?: boolean;
  /** `"reset": "subtract_same_step"` on layers that did not take to_reset (the first of them always). */
  sameStep?: boolean;
  /** A spiking readout's neuron subtracts in the step of its spike (`"reset": "subtract_same_step"`). */
  readoutSameStep?: boolean;
  /** Per-neuron τ (gamma or uniform, docs/design.md §2.1) on leaky layers without a bias (the first
   * such layer always), fixed or trained. */
  tau?: "fixed" | "learn";
  /** Per-neuron τ_syn on CuBa layers without a bias (the first always), fixed or trained. */
  tauSyn?: "fixed" | "learn";
  /** An adaptive threshold (ALIF: tau_adapt_ms, beta_adapt) on layers without CuBa (the first of them
   * always); "learn": also trained adaptation (`"learn_adapt": true`) on ALIF layers without a bias
   * whose τ_adapt is at least Δt (the first of them always), drawn from a stream of its own. */
  alif?: boolean | "learn";
  /** A spiking readout's neuron is ALIF (not with readoutCuba). */
  readoutAlif?: boolean;
}

export const RANDOM_TAU_SYN_MS = [1, 15] as const;
/** ALIF's ranges: τ_adapt (ms) and β_a. */
export const RANDOM_TAU_ADAPT_MS = [3, 60] as const;
export const RANDOM_BETA_ADAPT = [0.05, 1.5] as const;

function adaptation(rng: Rng): { tau_adapt_ms: number; beta_adapt: number } {
  return { tau_adapt_ms: r4(rng.uniform(RANDOM_TAU_ADAPT_MS[0], RANDOM_TAU_ADAPT_MS[1])), beta_adapt: r4(rng.uniform(RANDOM_BETA_ADAPT[0], RANDOM_BETA_ADAPT[1])) };
}

function withDynamics(spec: NetworkSpec, seed: number, o: DynamicsOptions): NetworkSpec {
  const rng = new Rng(mixSeedLocal(seed, 0xd1a));
  let first = true;
  let firstSameStep = true;
  let firstTau = true;
  let firstTauSyn = true;
  let firstAlif = true;
  // ALIF draws from a stream of its own: a spec with alif is the one without plus the ALIF fields.
  const alifRng = new Rng(mixSeedLocal(seed, 0xa11f));
  const learnAdaptRng = new Rng(mixSeedLocal(seed, 0x1ea7));
  let firstLearnAdapt = true;
  const layers = spec.layers.map((layer): LayerSpec => {
    if (layer.kind === "readout") {
      const out = { ...layer };
      if (o.readoutBias) out.bias = true;
      if (o.readoutCuba) out.tau_syn_ms = r4(rng.uniform(RANDOM_TAU_SYN_MS[0], RANDOM_TAU_SYN_MS[1]));
      if ((o.readoutToReset || o.readoutNoLeak || o.readoutSameStep) && !layer.spiking) throw new Error("randomSpec: readoutToReset, readoutSameStep and readoutNoLeak need a spiking readout");
      if (o.readoutToReset && o.readoutSameStep) throw new Error("randomSpec: a readout has one reset (readoutToReset or readoutSameStep)");
      if (o.readoutToReset || o.readoutNoLeak || o.readoutSameStep) {
        const reset = o.readoutToReset ? { reset: "to_reset" as const } : o.readoutSameStep ? { reset: "subtract_same_step" as const } : {};
        out.neuron = { ...layer.neuron, ...reset, ...(o.readoutNoLeak ? { leak: false } : {}) };
      }
      // (1 − α) is 0 without leak: such a readout takes its input as is.
      if (o.readoutNoLeak) out.input_scale = "one";
      if (o.readoutAlif) {
        if (!layer.spiking || o.readoutCuba) throw new Error("randomSpec: readoutAlif needs a spiking readout without readoutCuba");
        out.neuron = { ...out.neuron, ...adaptation(alifRng) };
      }
      return out;
    }
    if (layer.kind !== "dense" && layer.kind !== "conv") return layer;
    const take = () => first || rng.next() < 0.5;
    const out = { ...layer, neuron: { ...layer.neuron } };
    if (o.bias && take()) out.bias = true;
    if (o.noLeak && take()) {
      out.neuron.leak = false;
      delete out.neuron.tau_ms;
      delete out.neuron.v_rest;
    }
    if (o.toReset && take()) out.neuron.reset = "to_reset";
    if (o.cuba && take()) out.neuron.tau_syn_ms = r4(rng.uniform(RANDOM_TAU_SYN_MS[0], RANDOM_TAU_SYN_MS[1]));
    // Drawn last, so the draws above are those of the same options without it.
    if (o.sameStep && out.neuron.reset === undefined && (firstSameStep || rng.next() < 0.5)) {
      out.neuron.reset = "subtract_same_step";
      firstSameStep = false;
    }
    // Per-neuron τ after every other draw, so specs without it draw as before. A per-neuron τ
    // needs leak and no bias (compiler/spec/check-tau.ts).
    const dt = spec.time.dt_ms;
    const leaky = out.neuron.leak !== false && !(spec.neuron?.leak === false && out.neuron.leak === undefined);
    if (o.tau && leaky && !out.bias && (firstTau || rng.next() < 0.5)) {
      out.neuron.tau_ms = randomTau(rng, dt, R.tauMs, o.tau === "learn");
      firstTau = false;
    }
    const cubaHere = out.neuron.tau_syn_ms !== undefined || spec.neuron?.tau_syn_ms !== undefined;
    if (o.tauSyn && cubaHere && !out.bias && (firstTauSyn || rng.next() < 0.5)) {
      out.neuron.tau_syn_ms = randomTau(rng, dt, RANDOM_TAU_SYN_MS, o.tauSyn === "learn");
      firstTauSyn = false;
    }
    // ALIF has no CuBa variant, nor per-neuron τ yet.
    if (o.alif && out.neuron.tau_syn_ms === undefined && typeof out.neuron.tau_ms !== "object" && (firstAlif || alifRng.next() < 0.5)) {
      Object.assign(out.neuron, adaptation(alifRng));
      firstAlif = false;
      if (o.alif === "learn" && !out.bias && out.neuron.tau_adapt_ms! >= dt && (firstLearnAdapt || learnAdaptRng.next() < 0.5)) {
        out.neuron.learn_adapt = true;
        firstLearnAdapt = false;
      }
    }
    first = false;
    return out;
  });
  // alif: "learn" tags the spec alif-learn (its name differs from the spec with alif: true).
  const tags = Object.entries(o).filter(([, v]) => v).map(([k, v]) => (k === "alif" && v === "learn" ? "alif-learn" : k));
  return { ...spec, name: `${spec.name}-${tags.join("-").toLowerCase()}`.slice(0, 64), description: `${spec.description}, with ${tags.join(", ")}`, layers };
}

/** A per-neuron τ distribution inside [Δt, 1000·Δt]: gamma (mean in `range`, k in [1.5, 6]) or
 * uniform (a sub-range of `range`), half each. */
function randomTau(rng: Rng, dt: number, range: readonly [number, number], learn: boolean): TauDistribution {
  const lo = Math.max(range[0], dt);
  const learnIt = learn ? { learn: true } : {};
  if (rng.next() < 0.5) return { init: "gamma", mean: r4(rng.uniform(lo, range[1])), k: r4(rng.uniform(1.5, 6)), ...learnIt };
  const min = r4(rng.uniform(lo, (lo + range[1]) / 2));
  return { init: "uniform", min, max: r4(rng.uniform(min + 0.5, range[1] + 1)), ...learnIt };
}
