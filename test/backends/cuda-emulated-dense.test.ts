// The CUDA kernels run on the CPU (emulated CUDA: g++ against HIP-CPU), against the CPU backend and
// the float64 reference: dense random specs: recurrent, spiking readouts, neuron options, time-parallel.

import { it } from "vitest";
import { EMULATED_DENSE } from "../support/emulated-cuda-cases.ts";
import { checkEmulatedCase, describeEmulated } from "./emulated-cuda.ts";

describeEmulated("emulated CUDA matches the CPU backend: dense random specs: recurrent, spiking readouts, neuron options, time-parallel", () => {
  for (const c of EMULATED_DENSE) it(c.name, () => checkEmulatedCase(c), 600_000);
});
