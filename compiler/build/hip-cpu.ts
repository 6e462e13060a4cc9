// Finding what the emulated CUDA build needs: HIP-CPU (the patched copy in shared/third_party/, or
// the folder SNNC_HIP_CPU names) and TBB, which libstdc++'s parallel algorithms run on.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PACKAGE_ROOT } from "../util/package-root.ts";

/** Where development machines and CI have HIP-CPU: shared/ beside the checkout. */
export const SHARED_HIP_CPU = resolve(PACKAGE_ROOT, "..", "shared", "third_party", "hip-cpu");

const TBB_HEADERS = ["/usr/include/tbb/tbb.h", "/usr/include/oneapi/tbb.h", "/usr/local/include/tbb/tbb.h", "/usr/local/include/oneapi/tbb.h"];

export type EmulationSupport = { ok: true; hipCpu: string } | { ok: false; missing: string };

/** HIP-CPU's folder and TBB, or one sentence saying what is missing and how to get it. */
export function emulationSupport(env: NodeJS.ProcessEnv = process.env): EmulationSupport {
  const named = env.SNNC_HIP_CPU;
  const hipCpu = resolve(named || SHARED_HIP_CPU);
  if (!existsSync(join(hipCpu, "include", "hip", "hip_runtime.h")))
    return {
      ok: false,
      missing: named
        ? `SNNC_HIP_CPU=${named} holds no include/hip/hip_runtime.h (it must name the patched HIP-CPU of shared/third_party/hip-cpu)`
        : `HIP-CPU is not at ${SHARED_HIP_CPU}; set SNNC_HIP_CPU to the patched copy (shared/third_party/hip-cpu)`,
    };
  if (!TBB_HEADERS.some((h) => existsSync(h))) return { ok: false, missing: "TBB is not installed (apt-get install libtbb-dev)" };
  return { ok: true, hipCpu };
}
