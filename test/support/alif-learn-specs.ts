// The random specs with trained ALIF adaptation (`"learn_adapt": true`: ρ and β_a per neuron,
// docs/design.md §2.1) the CPU numerics test, the checkpoint test, the emulated CUDA test and the
// CUDA compile check share (one build each, cached in generated/).

import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { randomSpec } from "./random-spec.ts";

export interface AlifLearnCase {
  name: string;
  spec: () => NetworkSpec;
  seed: number;
}

export const ALIF_LEARN_SPECS: AlifLearnCase[] = [
  {
    // One build for the emulated CUDA check of both (test/backends/cuda-emulated-tau.test.ts).
    name: "a LIF + CuBa layer with trained τ and τ_syn, a LIF layer with trained τ, an ALIF layer with trained ρ and β_a; to_reset and subtract_same_step",
    spec: () => randomSpec(204, { tau: "learn", tauSyn: "learn", cuba: true, toReset: true, sameStep: true, alif: "learn" }),
    seed: 204,
  },
  {
    name: "recurrent ALIF layers with trained ρ and β_a, to_reset",
    spec: () => randomSpec(233, { alif: "learn", recurrent: "all", toReset: true }),
    seed: 233,
  },
];
