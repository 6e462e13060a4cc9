// The CUDA kernels run on the CPU (emulated CUDA: g++ against HIP-CPU), against the CPU backend and
// the float64 reference: every shipped model (conv models at batch 2), fmnist time-parallel.

import { it } from "vitest";
import { EMULATED_SHIPPED } from "../support/emulated-cuda-cases.ts";
import { checkEmulatedCase, describeEmulated } from "./emulated-cuda.ts";

describeEmulated("emulated CUDA matches the CPU backend: every shipped model (conv models at batch 2), fmnist time-parallel", () => {
  for (const c of EMULATED_SHIPPED) it(c.name, () => checkEmulatedCase(c), 600_000);
});
