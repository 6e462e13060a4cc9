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
    name: "ALIF layers with trained ρ and β_a, to_reset and subtract_same_step",
    spec: () => randomSpec(231, { alif: "learn", toReset: true, sameStep: true }),
    seed: 231,
  },
  {
    name: "recurrent ALIF layers with trained ρ and β_a",
    spec: () => randomSpec(233, { alif: "learn", recurrent: "all" }),
    seed: 233,
  },
];
