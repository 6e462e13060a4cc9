// Random specs that mix recurrence and spiking readouts with the neuron options beyond the paper's
// LIF (docs/design.md §2, "Details that fix the above"): recurrent layers with CuBa, bias, no leak
// and any reset; spiking readouts (recurrent or not) with their own CuBa synapses, bias, reset
// and leak. test/backends/cpu-numerics-recurrent-neurons.test.ts checks the CPU backend on all of
// them; the CUDA compile test and scripts/gpu/pack.ts take them too.

import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { randomSpec } from "./random-spec.ts";

export interface RecurrentNeuronCase {
  name: string;
  spec: () => NetworkSpec;
  seed: number;
  /** Input spikes per (step, input) of the test batch (default 0.2); sparse inputs leave quiet runs. */
  density?: number;
}

export const RECURRENT_NEURON_SPECS: RecurrentNeuronCase[] = [
  { name: "recurrent CuBa layers", spec: () => randomSpec(21, { recurrent: "all", cuba: true }), seed: 21 },
  { name: "recurrent layers with bias, reset to_reset", spec: () => randomSpec(22, { recurrent: "all", bias: true, toReset: true }), seed: 22 },
  { name: "recurrent IF layers with bias, sparse input", spec: () => randomSpec(23, { recurrent: "first", noLeak: true, bias: true }), seed: 23, density: 0.05 },
  {
    name: "recurrent CuBa + to_reset + bias, CuBa readout with a bias",
    spec: () => randomSpec(24, { recurrent: "some", cuba: true, toReset: true, bias: true, readoutCuba: true, readoutBias: true }),
    seed: 24,
  },
  {
    name: "recurrent spiking readout with CuBa, bias and to_reset, input scaled by 1 − α",
    spec: () => randomSpec(36, { recurrent: "last", spikingReadout: "recurrent", readoutCuba: true, readoutBias: true, readoutToReset: true }),
    seed: 36,
  },
  {
    name: "spiking IF readout with a bias after recurrent CuBa layers",
    spec: () => randomSpec(25, { recurrent: "all", cuba: true, spikingReadout: true, readoutNoLeak: true, readoutBias: true }),
    seed: 25,
  },
  {
    name: "spiking CuBa readout with a bias and reset subtract_same_step after plain layers with every option",
    spec: () => randomSpec(27, { spikingReadout: true, bias: true, noLeak: true, toReset: true, cuba: true, readoutCuba: true, readoutBias: true, sameStep: true, readoutSameStep: true }),
    seed: 27,
  },
  {
    name: "everything: recurrent CuBa IF to_reset layers with bias, recurrent spiking CuBa readout with bias, sparse input",
    spec: () =>
      randomSpec(28, { recurrent: "all", spikingReadout: "recurrent", bias: true, noLeak: true, toReset: true, cuba: true, readoutCuba: true, readoutBias: true, readoutToReset: true }),
    seed: 28,
    density: 0.08,
  },
  {
    name: "recurrent ALIF layers and a recurrent ALIF spiking readout with a bias",
    spec: () => randomSpec(37, { recurrent: "all", spikingReadout: "recurrent", alif: true, readoutAlif: true, readoutBias: true }),
    seed: 37,
  },
];
