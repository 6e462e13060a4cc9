// The cases the emulated CUDA build is checked on in every test run (test/backends/cuda-emulated-*):
// the GPU check's comparison with the CPU backend (and the float64 reference where a tie-free input
// exists) on the CUDA kernels compiled by g++ against HIP-CPU. Between them every template under
// templates/cuda/kernels/ runs (cuda-emulated-coverage.test.ts says so). Sizes are kept small: the
// emulator runs a block's threads as fibers, and a warp shuffle costs two rounds of 32 switches.

import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { GPU_CHECK_CONV_SPECS } from "./conv-cases.ts";
import { NEURON_SPECS } from "./neuron-specs.ts";
import { randomConvSpec, randomSpec } from "./random-spec.ts";
import { RECURRENT_NEURON_SPECS } from "./recurrent-neuron-specs.ts";
import { SUMPOOL_GATHER_SPECS, SUMPOOL_SPECS } from "./sumpool-cases.ts";
import { TIME_PARALLEL_ONLY_SPECS } from "./time-parallel-cases.ts";

export interface EmulatedCase {
  /** The GPU check's name for the case (scripts/gpu/pack.ts), `+tp` for the time-parallel forward. */
  name: string;
  spec: () => NetworkSpec | string;
  seed: number;
  /** A shipped model: compared at its data set's typical density (×3), with the CPU backend only. */
  shipped?: boolean;
  /** Also compared with the float64 reference on a tie-free input. The CPU backend is compared with
   *  it on every random spec here (the cpu-numerics tests), so CUDA = CPU carries over; a few cases
   *  take the direct comparison too. */
  vsReference?: boolean;
  /** Input spikes per (step, input) of both comparisons (default: vsCpuDensity's). */
  density?: number;
  /** Samples of the CUDA-vs-CPU batch (default 4, at most the spec's batch; the GPU check takes 16). */
  batch?: number;
  /** Compare the dense backward too (default). The dense backward walks every neuron-time with a
   *  warp reduction per input row: on the larger shipped models that is most of a minute under the
   *  emulator, so they compare the sparse path (what training runs) and the dense kernels run on
   *  tiny, fmnist and the random specs, which have the same templates. */
  dense?: boolean;
  /** The CUDA addon with the time-parallel forward (`--time-parallel`). */
  timeParallel?: boolean;
}

const shipped = (model: string, batch: number, extra: Partial<EmulatedCase> = {}): EmulatedCase => ({
  name: model,
  spec: () => `models/${model}.json`,
  seed: 7,
  shipped: true,
  batch,
  ...extra,
});
const neuron = (k: number): EmulatedCase => ({ ...NEURON_SPECS[k - 1], name: `neurons-${k}` });
const recurrentNeuron = (k: number): EmulatedCase => ({ ...RECURRENT_NEURON_SPECS[k - 1], name: `rec-neurons-${k}` });
const conv = (name: string): EmulatedCase => {
  const k = GPU_CHECK_CONV_SPECS.findIndex(([n]) => n === name);
  return { name, spec: GPU_CHECK_CONV_SPECS[k][1], seed: k + 1, batch: 2 };
};
const sumpool = (seed: number): EmulatedCase => {
  const [, , opts] = [...SUMPOOL_SPECS, ...SUMPOOL_GATHER_SPECS].find(([, s]) => s === seed)!;
  return { name: `sumpool-${seed}`, spec: () => randomConvSpec(seed, opts), seed, batch: 2 };
};
const tp = (c: EmulatedCase): EmulatedCase => ({ ...c, name: `${c.name}+tp`, timeParallel: true });

/** Every shipped model; the conv ones at batch 2, as the issue that brought the emulator asked. */
export const EMULATED_SHIPPED: EmulatedCase[] = [
  { ...shipped("tiny", 16), vsReference: true, seed: 11 },
  shipped("fmnist", 4),
  shipped("nmnist", 2, { dense: false }),
  shipped("shd", 2, { dense: false }),
  shipped("fmnist-deep", 2, { dense: false }),
  shipped("shd-recurrent", 2, { dense: false }),
  shipped("fmnist-conv", 2, { dense: false }),
  shipped("nmnist-conv", 2, { dense: false }),
  tp(shipped("fmnist", 4)),
];

/** Dense random specs: plain, recurrent, spiking readouts, the neuron options, time-parallel. */
export const EMULATED_DENSE: EmulatedCase[] = [
  { name: "random-1", spec: () => randomSpec(1), seed: 1, vsReference: true },
  { name: "random-rec-1", spec: () => randomSpec(1, { recurrent: "all" }), seed: 1, vsReference: true },
  { name: "random-rec-3", spec: () => randomSpec(3, { recurrent: "last" }), seed: 3 },
  { name: "random-spiking-16", spec: () => randomSpec(16, { recurrent: "all", spikingReadout: "recurrent" }), seed: 16, vsReference: true },
  neuron(1),
  neuron(6),
  { ...neuron(9), vsReference: true },
  recurrentNeuron(3),
  recurrentNeuron(8),
  // ALIF (to_reset, bias; denser input than its CPU case, which leaves this batch silent), against the
  // reference too (its conv kernels: neuron(16) below).
  { ...neuron(15), density: 0.2, vsReference: true },
  tp({ name: "random-1", spec: () => randomSpec(1), seed: 1 }),
  tp(neuron(9)),
  tp({ name: "random-spiking-13", spec: () => randomSpec(13, { spikingReadout: true }), seed: 13 }),
  ...TIME_PARALLEL_ONLY_SPECS.filter((c) => c.name === "input-sumpool-dense").map((c) =>
    tp({ name: c.name, spec: c.spec, seed: c.seed, density: c.density, vsReference: true }),
  ),
];

/** Conv networks: max-pool and none, stride and padding, conv → pool → conv, several chunks, W in
 *  global memory, the neuron options, sum-pools (on the input too, chained, after a max-pool). */
export const EMULATED_CONV: EmulatedCase[] = [
  conv("random-conv-1"),
  conv("random-conv-2"),
  { ...conv("random-conv-10-conv2"), vsReference: true },
  conv("random-conv-13-chunks"),
  conv("random-conv-14-wide-w"),
  neuron(13),
  neuron(14),
  neuron(16),
  sumpool(101),
  { ...sumpool(103), vsReference: true },
  sumpool(106),
  sumpool(108),
  sumpool(117),
  sumpool(141),
  tp(sumpool(125)),
];

/** Cases checked over consecutive training steps with the next batch handed to each trainStep,
 *  built with `--overlap-upload` (scripts/gpu/step-launch-check.ts; the GPU check's `+graph` cases
 *  without the graph, which HIP-CPU cannot run). */
export const EMULATED_STEPS: EmulatedCase[] = [
  { ...shipped("fmnist", 16), name: "fmnist+overlap" },
  // AdamW with clipping by the global norm (the grad_norm kernel), over consecutive steps.
  { name: "random-1-adamw-clip+overlap", spec: () => withAdamWClip(randomSpec(1)), seed: 1 },
  { name: "random-rec-1+overlap", spec: () => randomSpec(1, { recurrent: "all" }), seed: 1 },
  { ...conv("random-conv-1"), name: "random-conv-1+overlap" },
];

/** The same with the step as one CUDA graph too (`--step-graph --overlap-upload`, the GPU check's
 *  `+graph` cases): dense, conv (its scratch grown before the capture), and AdamW with clipping
 *  (a memset and the grad_norm kernel inside the graph, Adam's nodes given each step's size). */
export const EMULATED_GRAPH_STEPS: EmulatedCase[] = EMULATED_STEPS.map((c) => ({ ...c, name: c.name.replace(/\+overlap$/, "+graph") }));

/** A case run under AddressSanitizer or racecheck: `steps`, the step-launch check on a
 *  --step-graph --overlap-upload build instead of the one-batch comparison. */
export interface CheckedCase extends EmulatedCase {
  steps?: boolean;
}

/** Cases built with AddressSanitizer (test/backends/cuda-emulated-asan.test.ts), an out-of-bounds
 *  access to any device buffer stopping the run, and with racecheck (cuda-emulated-racecheck.test.ts),
 *  a race on __shared__ or device memory stopping it: conv, max-pool, dense and readout with the
 *  neuron options; sum-pools before a max-pool; recurrent layers into a recurrent spiking readout;
 *  the time-parallel forward; AdamW with clipping over 12 steps replayed from graphs with the next
 *  batch uploaded during each. Between them every kernel template runs (cuda-emulated-coverage.test.ts). */
export const EMULATED_CHECKED: CheckedCase[] = [
  neuron(13),
  sumpool(108),
  { name: "random-spiking-16", spec: () => randomSpec(16, { recurrent: "all", spikingReadout: "recurrent" }), seed: 16 },
  tp({ name: "random-1", spec: () => randomSpec(1), seed: 1 }),
  { name: "random-1-adamw-clip+graph", spec: () => withAdamWClip(randomSpec(1)), seed: 1, steps: true },
];

/** A spec trained with AdamW (λ 0.05) and its gradients clipped to norm 0.01, well below their norm. */
function withAdamWClip(spec: NetworkSpec): NetworkSpec {
  return {
    ...spec,
    name: `${spec.name}-adamw-clip`,
    training: { ...spec.training, optimizer: { ...spec.training.optimizer, kind: "adamw", weight_decay: 0.05 }, clip_grad_norm: 0.01 },
  };
}
