// Which CUDA kernels have passed the GPU check. `--backend auto` takes the CUDA backend only for
// these: kernels that compile but never ran on a GPU against the CPU backend are not chosen for a
// user who did not ask for them. The fingerprint covers everything the emitted CUDA is made from:
// its templates, the shared header and glue, the neuron models and the CUDA render context.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PACKAGE_ROOT } from "../../util/package-root.ts";

const SOURCES = ["templates/cuda", "templates/shared", "compiler/backends/cuda", "compiler/backends/context", "compiler/neurons"];

/** sha256 (first 16 hex digits) over the files the emitted CUDA is made from, by path and content. */
export function cudaSourcesFingerprint(root = PACKAGE_ROOT): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith(".json")) files.push(p);
    }
  };
  for (const s of SOURCES) walk(join(root, s));
  const hash = createHash("sha256");
  for (const f of files) hash.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** One passing GPU check: the fingerprint, when, on which GPU. */
export interface GpuCheck {
  fingerprint: string;
  date: string;
  gpu: string;
}

/** The fingerprints the GPU check passed on (compiler/backends/cuda/gpu-checked.json). */
export function gpuCheckedFingerprints(): string[] {
  const file = join(PACKAGE_ROOT, "compiler", "backends", "cuda", "gpu-checked.json");
  const checks = (JSON.parse(readFileSync(file, "utf8")) as { fingerprints: GpuCheck[] }).fingerprints;
  return checks.map((c) => c.fingerprint);
}

/** Whether the CUDA kernels as they are in this checkout have passed the GPU check. */
export function cudaKernelsGpuChecked(): boolean {
  return gpuCheckedFingerprints().includes(cudaSourcesFingerprint());
}
