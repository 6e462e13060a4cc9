// --backend auto takes the CUDA backend only for kernels that passed the GPU check: the decision
// from each fact, and the fingerprint that names the kernels as they are in this checkout.

import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cudaKernelsGpuChecked, cudaSourcesFingerprint, gpuCheckedFingerprints } from "../../compiler/backends/cuda/gpu-checked.ts";
import { autoBackend, autoFacts } from "../../runtime/model/open-model.ts";
import { networkOf } from "../support/build-model.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const ALL = { cudaGenerates: true, gpu: true, nvcc: true, gpuChecked: true };

describe("--backend auto", () => {
  it("takes CUDA only when the network, the machine and the GPU check all allow it", () => {
    expect(autoBackend(ALL)).toEqual({ backend: "cuda", reason: "GPU and nvcc found, CUDA kernels GPU-checked" });
    expect(autoBackend({ ...ALL, gpuChecked: false })).toEqual({
      backend: "cpu",
      reason: "these CUDA kernels have not passed the GPU check yet; pass --backend cuda to use them anyway",
    });
    expect(autoBackend({ ...ALL, gpu: false }).backend).toBe("cpu");
    expect(autoBackend({ ...ALL, nvcc: false }).backend).toBe("cpu");
    expect(autoBackend({ ...ALL, cudaGenerates: false })).toEqual({ backend: "cpu", reason: "the CUDA backend does not generate this network yet" });
  });

  it("sees a conv network as one the CUDA backend generates; auto stays on the CPU until its kernels pass the GPU check", () => {
    const conv = autoFacts(networkOf("models/fmnist-conv.json"));
    expect(conv.cudaGenerates).toBe(true);
    expect(conv.gpuChecked).toBe(false);
    expect(autoBackend(conv).backend).toBe("cpu");
    expect(autoFacts(networkOf("models/fmnist.json")).cudaGenerates).toBe(true);
  });

  it("lists no GPU-checked kernels yet: the CUDA kernels changed since the last GPU check", () => {
    expect(gpuCheckedFingerprints()).toEqual([]);
    expect(cudaKernelsGpuChecked()).toBe(false);
  });
});

describe("the CUDA sources fingerprint", () => {
  const copy = mkdtempSync(join(tmpdir(), "snnc-fingerprint-"));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  for (const dir of ["templates", "compiler"]) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });

  it("is 16 hex digits, the same for the same files", () => {
    expect(cudaSourcesFingerprint()).toMatch(/^[0-9a-f]{16}$/);
    expect(cudaSourcesFingerprint(copy)).toBe(cudaSourcesFingerprint());
  });

  it("changes when a CUDA template or the shared header changes", () => {
    const before = cudaSourcesFingerprint(copy);
    writeFileSync(join(copy, "templates", "cuda", "kernels", "adam.hbs"), "// changed\n", { flag: "a" });
    const afterCuda = cudaSourcesFingerprint(copy);
    expect(afterCuda).not.toBe(before);
    writeFileSync(join(copy, "templates", "shared", "network.h.hbs"), "// changed\n", { flag: "a" });
    expect(cudaSourcesFingerprint(copy)).not.toBe(afterCuda);
  });
});
