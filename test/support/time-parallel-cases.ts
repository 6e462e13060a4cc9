// Dense networks for the time-parallel CUDA forward (compiler/plan/forward-schedule.ts): the
// shipped dense models and random dense specs covering what its two kernels must reproduce bit for
// bit (bias, IF, reset to_reset, CuBa, a spiking readout scaled by input_scale, a sum-pool below
// on spikes and on the input events), plus specs where only some stages are time-parallel (a
// recurrent layer, conv stages). The CUDA compile test and scripts/gpu/pack.ts (cases `<name>+tp`)
// take them.

import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { NEURON_SPECS } from "./neuron-specs.ts";
import { randomConvSpec, randomSpec } from "./random-spec.ts";
import { RECURRENT_NEURON_SPECS } from "./recurrent-neuron-specs.ts";

/** Shipped models with time-parallel stages (every dense, non-recurrent LIF layer). */
export const TIME_PARALLEL_MODELS = ["tiny", "fmnist", "nmnist", "shd", "fmnist-deep", "nmnist-conv"];

export interface TimeParallelCase {
  name: string;
  spec: () => NetworkSpec;
  seed: number;
  /** Input spikes per (step, input) of a test batch (default 0.2). */
  density?: number;
  /** What the case is there for. */
  what: string;
}

const neuron = (k: number) => NEURON_SPECS[k];
const recurrentNeuron = (seed: number) => RECURRENT_NEURON_SPECS.find((c) => c.seed === seed)!;

/** Shapes only the time-parallel forward needs checked (scripts/gpu/pack.ts packs them as `+tp`
 *  cases alone): sum-pooled input events into a dense layer, and a layer at the CUDA backend's
 *  4096-neuron limit (16 currents a thread in the currents kernel, its register cap of 64). */
export const TIME_PARALLEL_ONLY_SPECS: TimeParallelCase[] = [
  { name: "input-sumpool-dense", spec: inputSumPoolDense, seed: 3, what: "a dense layer on sum-pooled input events (uncovered rows)" },
  { name: "wide-4096", spec: wide, seed: 4, density: 0.05, what: "4096 neurons with a bias, then a CuBa layer" },
];

export const TIME_PARALLEL_SPECS: TimeParallelCase[] = [
  { name: "random-1", spec: () => randomSpec(1), seed: 1, what: "plain LIF layers" },
  { name: "random-2", spec: () => randomSpec(2), seed: 2, what: "plain LIF layers" },
  { name: "neurons-1", spec: neuron(0).spec, seed: neuron(0).seed, density: neuron(0).density, what: neuron(0).name },
  { name: "neurons-2", spec: neuron(1).spec, seed: neuron(1).seed, density: neuron(1).density, what: neuron(1).name },
  { name: "neurons-3", spec: neuron(2).spec, seed: neuron(2).seed, what: neuron(2).name },
  { name: "neurons-4", spec: neuron(3).spec, seed: neuron(3).seed, what: neuron(3).name },
  { name: "neurons-5", spec: neuron(4).spec, seed: neuron(4).seed, what: neuron(4).name },
  { name: "neurons-9", spec: neuron(8).spec, seed: neuron(8).seed, what: neuron(8).name },
  { name: "random-spiking-13", spec: () => randomSpec(13, { spikingReadout: true }), seed: 13, what: "a spiking readout scaled by 1 − α" },
  { name: "rec-neurons-7", spec: recurrentNeuron(27).spec, seed: 27, what: recurrentNeuron(27).name },
  { name: "rec-neurons-6", spec: recurrentNeuron(25).spec, seed: 25, what: `${recurrentNeuron(25).name} (only the readout time-parallel)` },
  { name: "rec-neurons-3", spec: recurrentNeuron(23).spec, seed: 23, density: 0.05, what: `${recurrentNeuron(23).name} (a dense layer above a recurrent one)` },
  { name: "sumpool-125", spec: () => randomConvSpec(125, { sumpool: true, dense: true, channels: 2 }), seed: 125, what: "a dense layer above conv → sum-pool" },
  { name: "sumpool-108", spec: () => randomConvSpec(108, { sumpool: true, maxThenSum: true, dense: true, channels: 2 }), seed: 108, what: "a dense layer above conv → max-pool → sum-pool" },
  ...TIME_PARALLEL_ONLY_SPECS,
];

/** Events [2, 9, 9] → sum-pool 2 (the last row and column in no window) → flatten → dense 40 with
 *  a bias → readout 4: the currents kernel reading input events through a window map. */
function inputSumPoolDense(): NetworkSpec {
  return {
    name: "input-sumpool-dense",
    time: { steps: 12, dt_ms: 1 },
    input: { shape: [2, 9, 9], encoding: { kind: "events", bin_ms: 1 } },
    layers: [
      { kind: "sumpool", size: 2 },
      { kind: "flatten" },
      { kind: "dense", size: 40, bias: true, neuron: { tau_ms: 10, v_th: 0.3 } },
      { kind: "readout", size: 4 },
    ],
    training: { batch: 4, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
  };
}

/** Events [100] → dense 4096 with a bias → dense 300 CuBa → readout 10, T = 50. */
function wide(): NetworkSpec {
  return {
    name: "wide-4096",
    time: { steps: 50, dt_ms: 1 },
    input: { shape: [100], encoding: { kind: "events", bin_ms: 1 } },
    layers: [
      { kind: "dense", size: 4096, bias: true },
      { kind: "dense", size: 300, neuron: { tau_syn_ms: 5 } },
      { kind: "readout", size: 10 },
    ],
    training: { batch: 4, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
  };
}
