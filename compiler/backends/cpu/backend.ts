// The CPU backend: kernels.cpp (OpenMP over the batch) plus the shared header and Node-API glue,
// built by the host C++ compiler. It generates every layer kind at any size.

import type { Backend } from "../backend.ts";
import { stepLaunchNames } from "../../plan/plan-options.ts";

/** Default flags of the CPU kernels: AVX2 (x86-64-v3, CPUs since about 2013), never -march=native,
 * whose binary crashes on a CPU without this one's newest vector unit. */
export const DEFAULT_CPU_FLAGS = "-march=x86-64-v3";

export const cpu: Backend = {
  name: "cpu",
  kernelExt: "cpp",
  flags: DEFAULT_CPU_FLAGS,
  templates: [
    ["shared/network.h.hbs", "network.h"],
    ["shared/network-api.h", "network-api.h"],
    ["shared/network-api.cpp.hbs", "network-api.cpp"],
    ["shared/addon.cpp", "addon.cpp"],
    ["cpu/kernels.cpp.hbs", "kernels.cpp"],
    ["cpu/CMakeLists.txt.hbs", "CMakeLists.txt"],
  ],
  // Step by step only: a time-parallel forward (every step's currents in a T×N buffer, then one
  // scan per neuron) measured slower here than the step-by-step one, whose state and currents stay
  // in L1 (F-MNIST l1 forward 3.0 vs 1.9 ms at batch 256 on 2 cores, 2026-11-29).
  planDefaults: { timeParallel: "off" },
  unsupported(plan) {
    // A CUDA graph and a copy stream have nothing to act on here: the CPU step is one call per
    // kernel on the host, and its input is read where it lies.
    const launch = stepLaunchNames(plan.stepLaunch);
    if (launch.length > 0)
      return `${launch.map((n) => `--${n}`).join(" and ")} ${launch.length > 1 ? "are" : "is"} CUDA only: the CPU backend has no kernel launches to capture or uploads to overlap; drop ${launch.length > 1 ? "them" : "it"} or use --backend cuda`;
    for (const s of plan.stages)
      if (s.kind === "lif" && s.forward === "time-parallel")
        return `/layers/${s.layer.index}: the CPU backend runs the forward step by step; build the plan with time-parallel currents off`;
    return undefined;
  },
  context: (base) => base,
};
