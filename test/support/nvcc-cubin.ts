// Test helper: nvcc -cubin -arch=sm_90 with the build's flags on an emitted kernels.cu, and the
// kernels ptxas compiled with their spill counts (no GPU needed).

import { spawnSync } from "node:child_process";
import { NVCC_FLAGS } from "../../compiler/backends/cuda/backend.ts";
import type { EmittedFile } from "../../compiler/backends/emit.ts";
import { writeGenerated } from "../../compiler/build/write-generated.ts";

export const hasNvcc = spawnSync("nvcc", ["--version"]).status === 0;

export interface CubinResult {
  status: number | null;
  log: string;
  kernels: string[];
  /** Kernels with spill stores or loads. */
  spilled: string[];
}

export function compileCubin(dir: string, files: EmittedFile[]): CubinResult {
  writeGenerated(dir, files);
  const r = spawnSync("nvcc", ["-cubin", "-arch=sm_90", ...NVCC_FLAGS, "-std=c++17", "-Xptxas", "-v", "kernels.cu", "-o", "kernels.cubin"], {
    cwd: dir,
    encoding: "utf8",
  });
  const log = `${r.stdout}${r.stderr}`;
  const kernels = [...log.matchAll(/Compiling entry function '([^']+)'/g)].map((m) => m[1]);
  const spills = [...log.matchAll(/(\d+) bytes spill stores, (\d+) bytes spill loads/g)];
  const spilled = kernels.filter((_, k) => !spills[k] || spills[k][1] !== "0" || spills[k][2] !== "0");
  return { status: r.status, log, kernels, spilled };
}
