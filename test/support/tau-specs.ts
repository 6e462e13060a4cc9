// The random specs with per-neuron τ (docs/design.md §2.1) the CPU numerics test, the checkpoint
// test and the CUDA compile check share (one build each, cached in generated/).

import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { randomSpec } from "./random-spec.ts";

export interface TauSpecCase {
  name: string;
  spec: () => NetworkSpec;
  seed: number;
}

export const TAU_SPECS: TauSpecCase[] = [
  {
    name: "LIF and CuBa layers, trained τ and τ_syn, to_reset and subtract_same_step",
    spec: () => randomSpec(211, { tau: "learn", tauSyn: "learn", cuba: true, toReset: true, sameStep: true }),
    seed: 211,
  },
  {
    name: "recurrent CuBa layers, fixed τ, trained τ_syn",
    spec: () => randomSpec(213, { tau: "fixed", tauSyn: "learn", cuba: true, recurrent: "all" }),
    seed: 213,
  },
];
