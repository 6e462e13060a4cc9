// The backends: which templates each renders and under which file names. Templates under
// templates/shared are rendered by every backend, so the arithmetic and the Node-API glue are
// written once.

import type { BackendName } from "./context.ts";

export interface BackendDef {
  name: BackendName;
  /** [template path under templates/, emitted file name] */
  templates: [string, string][];
}

export const BACKENDS: Record<BackendName, BackendDef> = {
  cpu: {
    name: "cpu",
    templates: [
      ["shared/network.h.hbs", "network.h"],
      ["shared/addon.cpp.hbs", "addon.cpp"],
      ["cpu/kernels.cpp.hbs", "kernels.cpp"],
      ["cpu/CMakeLists.txt.hbs", "CMakeLists.txt"],
    ],
  },
  cuda: {
    name: "cuda",
    templates: [
      ["shared/network.h.hbs", "network.h"],
      ["shared/addon.cpp.hbs", "addon.cpp"],
      ["cuda/kernels.cu.hbs", "kernels.cu"],
      ["cuda/CMakeLists.txt.hbs", "CMakeLists.txt"],
    ],
  },
};

export function isBackendName(x: string): x is BackendName {
  return x === "cpu" || x === "cuda";
}

/** nvcc flags of the CUDA kernels, shared by the emitted CMakeLists.txt and the CI compile check.
 * --fmad=false: plain IEEE multiply and add, like the CPU backend (-ffp-contract=off), so both
 * backends cross the threshold at the same neuron-times. */
export const NVCC_FLAGS = ["-O3", "--fmad=false"];

/** Default flags of the CPU kernels: AVX2 (x86-64-v3, CPUs since about 2013), never -march=native,
 * whose binary crashes on a CPU without this one's newest vector unit. */
export const DEFAULT_CPU_FLAGS = "-march=x86-64-v3";
