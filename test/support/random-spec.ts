// Random but valid dense network specs for numerics tests of the generated kernels against the
// float64 oracle (test/reference). Deterministic per seed; every optional field is written out.

import type { DenseLayerSpec, LayerSpec, NetworkSpec, NeuronParams } from "../../compiler/spec/types.ts";
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

export function randomSpec(seed: number): NetworkSpec {
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
