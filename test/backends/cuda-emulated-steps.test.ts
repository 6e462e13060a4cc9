// The CUDA kernels run on the CPU (emulated CUDA: g++ against HIP-CPU) over consecutive training
// steps with the overlapped upload (--overlap-upload): each trainStep is handed the next batch.

import { it } from "vitest";
import { EMULATED_STEPS } from "../support/emulated-cuda-cases.ts";
import { checkEmulatedSteps, describeEmulated } from "./emulated-cuda.ts";

describeEmulated("emulated CUDA training steps with the overlapped upload match the CPU backend", () => {
  for (const c of EMULATED_STEPS) it(c.name, () => checkEmulatedSteps(c), 600_000);
  it.skip("--step-graph: HIP-CPU has no CUDA graphs (cudaGraph*), so the step graph is checked on a GPU only (scripts/gpu, +graph cases)");
});
