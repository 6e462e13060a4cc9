// The CUDA compile check without a GPU: nvcc -cubin for sm_90 with the build's flags on an emitted
// addon folder, -Xptxas -v parsed for every kernel's spills. Used by the CUDA compile tests.
//
// A successful compile's log is kept under generated/.nvcc-check/, keyed by nvcc's version, the
// command and every emitted file: the same sources compile to the same cubin, so a second check of
// them (another test emitting the same model, or the next run) reads the log instead of running
// nvcc again (~2 s each). Failures are never kept.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { NVCC_FLAGS } from "../../compiler/backends/cuda/backend.ts";
import type { EmittedFile } from "../../compiler/backends/emit.ts";
import { writeGenerated } from "../../compiler/build/write-generated.ts";
import { GENERATED_ROOT } from "../../compiler/pipeline.ts";
import { writeFileAtomic } from "../../compiler/util/atomic-write.ts";

const nvccVersion = spawnSync("nvcc", ["--version"], { encoding: "utf8" });
export const hasNvcc = nvccVersion.status === 0;

const CACHE = join(GENERATED_ROOT, ".nvcc-check");

export interface CubinKernel {
  /** The mangled entry name as ptxas prints it. */
  name: string;
  registers: number;
  spillStores: number;
  spillLoads: number;
}

/** Writes `files` into `dir`, compiles kernels.cu to a cubin (the test fails with nvcc's log
 *  otherwise, or on any warning) and returns every kernel with its registers and spills. */
export function compileCubin(dir: string, files: EmittedFile[]): { kernels: CubinKernel[]; log: string } {
  writeGenerated(dir, files);
  const args = ["-cubin", "-arch=sm_90", ...NVCC_FLAGS, "-std=c++17", "-Xptxas", "-v", "kernels.cu", "-o", "kernels.cubin"];
  const key = createHash("sha256").update(nvccVersion.stdout).update(JSON.stringify(args));
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) key.update(`\0${f.path}\0`).update(f.content);
  const cached = join(CACHE, `${key.digest("hex").slice(0, 32)}.log`);
  let log: string;
  try {
    log = readFileSync(cached, "utf8");
  } catch {
    const r = spawnSync("nvcc", args, { cwd: dir, encoding: "utf8" });
    log = `${r.stdout}${r.stderr}`;
    expect(r.status, log).toBe(0);
    writeFileAtomic(cached, log);
  }
  // Users read and compile kernels.cu themselves: it builds without a warning.
  expect(log.split("\n").filter((l) => /warning/i.test(l))).toEqual([]);
  // ptxas prints, per entry: "Compiling entry function 'X'", then its spills, then its registers.
  const kernels: CubinKernel[] = [];
  for (const block of log.split(/(?=ptxas info\s+: Compiling entry function)/).slice(1)) {
    const name = /Compiling entry function '([^']+)'/.exec(block)![1];
    const spill = /(\d+) bytes spill stores, (\d+) bytes spill loads/.exec(block);
    const regs = /Used (\d+) registers/.exec(block);
    expect(spill && regs, `ptxas printed no spills or registers for ${name}:\n${block}`).toBeTruthy();
    kernels.push({ name, registers: Number(regs![1]), spillStores: Number(spill![1]), spillLoads: Number(spill![2]) });
  }
  return { kernels, log };
}
