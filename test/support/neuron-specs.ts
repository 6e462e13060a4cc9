// The random specs that exercise the neuron options beyond the paper's LIF (docs/design.md §2):
// biases (dense, conv per filter, readout), no leak (IF), resets to_reset and subtract_same_step,
// CuBa synapses and ALIF's adaptive threshold
// (hidden layers and the readout), mixed. test/backends/cpu-numerics-neurons.test.ts checks the
// CPU backend on all of them; scripts/gpu/pack.ts packs those the CUDA backend generates.

import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { randomConvSpec, randomSpec } from "./random-spec.ts";

export interface NeuronSpecCase {
  name: string;
  spec: () => NetworkSpec;
  seed: number;
  /** Input spikes per (step, input) of the test batch (default 0.2). Sparse inputs leave runs of
   * steps without events, which the sparse walk crosses in one go: where ∇b's closed-form sums act. */
  density?: number;
}

export const NEURON_SPECS: NeuronSpecCase[] = [
  { name: "dense, bias + subtract_same_step, sparse input", spec: () => randomSpec(109, { bias: true, sameStep: true }), seed: 109, density: 0.05 },
  { name: "dense, bias + CuBa, sparse input", spec: () => randomSpec(124, { bias: true, cuba: true, readoutBias: true }), seed: 124, density: 0.04 },
  { name: "dense, no leak (IF)", spec: () => randomSpec(102, { noLeak: true }), seed: 102 },
  { name: "dense, reset to_reset", spec: () => randomSpec(103, { toReset: true }), seed: 103 },
  { name: "dense, CuBa", spec: () => randomSpec(104, { cuba: true }), seed: 104 },
  { name: "dense, CuBa + to_reset + bias", spec: () => randomSpec(105, { cuba: true, toReset: true, bias: true }), seed: 105 },
  { name: "dense, IF + to_reset + bias, readout bias", spec: () => randomSpec(106, { noLeak: true, toReset: true, bias: true, readoutBias: true }), seed: 106 },
  { name: "dense, readout CuBa + bias", spec: () => randomSpec(107, { readoutCuba: true, readoutBias: true }), seed: 107 },
  { name: "dense, everything", spec: () => randomSpec(108, { bias: true, noLeak: true, toReset: true, cuba: true, readoutBias: true, readoutCuba: true, sameStep: true }), seed: 108 },
  { name: "dense, CuBa + IF, readout CuBa", spec: () => randomSpec(101, { cuba: true, noLeak: true, readoutCuba: true }), seed: 101 },
  { name: "conv, bias per filter", spec: () => randomConvSpec(110, { pool: true, dynamics: { bias: true } }), seed: 110 },
  { name: "conv, CuBa + to_reset + bias, readout bias", spec: () => randomConvSpec(111, { pool: false, dynamics: { cuba: true, toReset: true, bias: true, readoutBias: true } }), seed: 111 },
  { name: "conv → dense, IF + bias, readout CuBa", spec: () => randomConvSpec(112, { pool: true, dense: true, dynamics: { noLeak: true, bias: true, readoutCuba: true } }), seed: 112 },
  {
    name: "conv → pool → conv, everything",
    spec: () => randomConvSpec(113, { pool: true, secondConv: true, dynamics: { bias: true, noLeak: true, toReset: true, cuba: true, readoutBias: true, readoutCuba: true, sameStep: true } }),
    seed: 113,
  },
  // ALIF (adaptive threshold), appended so the cases above keep their positions (neuron(k) in
  // emulated-cuda-cases.ts).
  { name: "dense, ALIF + to_reset + bias, sparse input", spec: () => randomSpec(115, { alif: true, toReset: true, bias: true }), seed: 115, density: 0.05 },
  { name: "conv → dense, ALIF + subtract_same_step", spec: () => randomConvSpec(116, { pool: true, dense: true, dynamics: { alif: true, sameStep: true } }), seed: 116 },
];
