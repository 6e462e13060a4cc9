// The CUDA kernels run on the CPU (emulated CUDA: g++ against HIP-CPU), against the CPU backend and
// the float64 reference: conv, max-pool and sum-pool specs.

import { it } from "vitest";
import { EMULATED_CONV } from "../support/emulated-cuda-cases.ts";
import { checkEmulatedCase, describeEmulated } from "./emulated-cuda.ts";

describeEmulated("emulated CUDA matches the CPU backend: conv, max-pool and sum-pool specs", () => {
  for (const c of EMULATED_CONV) it(c.name, () => checkEmulatedCase(c), 600_000);
});
