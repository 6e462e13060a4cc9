// The CUDA kernels with per-neuron τ (docs/design.md §2.1) on the CPU emulator (g++ against
// HIP-CPU), against the CPU backend and the float64 reference: one dense spec with a LIF layer and
// a CuBa layer, α and α_syn trained (their traces, injections and per-neuron powers), resets mixed;
// and 12 training steps of it against the host's Adam (α: no decay, clamped).

import { it } from "vitest";
import { TAU_SPECS } from "../support/tau-specs.ts";
import { checkEmulatedCase, checkEmulatedSteps, describeEmulated } from "./emulated-cuda.ts";

describeEmulated("emulated CUDA matches the CPU backend and the reference with per-neuron trained τ", () => {
  const c = TAU_SPECS[0];
  it(c.name, () => checkEmulatedCase({ name: "tau-learn", spec: c.spec, seed: c.seed, vsReference: true }), 600_000);
  // 12 training steps: the Adam kernel of α (no decay, the clamp) against the host's Adam.
  it(`${c.name}: 12 training steps`, () => checkEmulatedSteps({ name: "tau-learn-steps", spec: c.spec, seed: c.seed }), 600_000);
});
