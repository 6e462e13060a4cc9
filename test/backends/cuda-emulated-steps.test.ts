// The CUDA kernels run on the CPU (emulated CUDA: g++ against HIP-CPU) over consecutive training
// steps with the overlapped upload (--overlap-upload): each trainStep is handed the next batch; and
// the same with the step as one CUDA graph (--step-graph), captured and replayed by the emulator's
// graphs (templates/emulated-cuda/cuda_runtime.h), as the GPU check's `+graph` cases.

import { it } from "vitest";
import { EMULATED_GRAPH_STEPS, EMULATED_STEPS } from "../support/emulated-cuda-cases.ts";
import { checkEmulatedSteps, describeEmulated } from "./emulated-cuda.ts";

describeEmulated("emulated CUDA training steps with the overlapped upload match the CPU backend", () => {
  for (const c of EMULATED_STEPS) it(c.name, () => checkEmulatedSteps(c), 600_000);
});

describeEmulated("emulated CUDA training steps replayed from a step graph match the CPU backend", () => {
  for (const c of EMULATED_GRAPH_STEPS) it(c.name, () => checkEmulatedSteps(c, true), 600_000);
});
