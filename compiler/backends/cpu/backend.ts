// The CPU backend: kernels.cpp (OpenMP over the batch) plus the shared header and Node-API glue,
// built by the host C++ compiler. It generates every layer kind at any size.

import type { Backend } from "../backend.ts";

/** Default flags of the CPU kernels: AVX2 (x86-64-v3, CPUs since about 2013), never -march=native,
 * whose binary crashes on a CPU without this one's newest vector unit. */
export const DEFAULT_CPU_FLAGS = "-march=x86-64-v3";

export const cpu: Backend = {
  name: "cpu",
  kernelExt: "cpp",
  flags: DEFAULT_CPU_FLAGS,
  templates: [
    ["shared/network.h.hbs", "network.h"],
    ["shared/addon.cpp.hbs", "addon.cpp"],
    ["cpu/kernels.cpp.hbs", "kernels.cpp"],
    ["cpu/CMakeLists.txt.hbs", "CMakeLists.txt"],
  ],
  unsupported: () => undefined,
  context: (base) => base,
};
