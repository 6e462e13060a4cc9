// The emulated CUDA build: the CUDA backend's kernels.cu, network.h and Node binding unchanged, with
// a CMakeLists.txt that compiles them by g++ against HIP-CPU (shared/third_party/hip-cpu) and snnc's
// own cuda_runtime.h (templates/emulated-cuda/), which maps the CUDA names onto HIP-CPU and checks
// that every thread reaches the same barriers. The addon loads with the CUDA interface and runs the
// CUDA kernels on the CPU, so their numerics are compared with the CPU backend without a GPU.
// Kept outside compiler/backends/cuda/ and templates/cuda/: it must not change the fingerprint of
// the kernels the GPU check vouches for (compiler/backends/cuda/gpu-checked.ts).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../../plan/types.ts";
import { banner, moduleName } from "../context/build-context.ts";
import { withManifest, type EmittedFile } from "../emit.ts";
import { renderTemplate, TEMPLATE_ROOT } from "../render.ts";

/** Where the header lands in the build folder (the CMakeLists puts emulated/ first on the include path). */
export const EMULATION_HEADER = "emulated/cuda_runtime.h";
/** How HIP-CPU's threads wait (templates/emulated-cuda/hip_cpu_yield.h), beside it: it includes it first. */
export const YIELD_HEADER = "emulated/hip_cpu_yield.h";

/** The CUDA backend's files (emitBackend(plan, "cuda", …)) turned into the emulated build's. */
export function emulateCudaFiles(plan: Plan, source: string, cudaFiles: EmittedFile[]): EmittedFile[] {
  const kept = cudaFiles.filter((f) => f.path !== "CMakeLists.txt" && f.path !== "manifest.json");
  const cmake = renderTemplate("emulated-cuda/CMakeLists.txt.hbs", { hashBanner: banner(plan, "#"), moduleName: moduleName(plan) });
  const header = readFileSync(join(TEMPLATE_ROOT, "emulated-cuda", "cuda_runtime.h"), "utf8");
  const yieldHeader = readFileSync(join(TEMPLATE_ROOT, "emulated-cuda", "hip_cpu_yield.h"), "utf8");
  return withManifest(
    plan,
    "cuda",
    source,
    [...kept, { path: "CMakeLists.txt", content: cmake }, { path: EMULATION_HEADER, content: header }, { path: YIELD_HEADER, content: yieldHeader }],
    true,
  );
}
