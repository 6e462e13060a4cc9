// What an ALIF layer (compiler/neurons/alif.ts) emits: its hooks in the header both backends
// include, its constants, its propagator table (αⁿ, ρⁿ, ρⁿ⁻¹), and, on CUDA, the sparse kernel's
// staging of the surrogate g for its inject, which a LIF layer of the same network does not get.

import { describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { networkOf } from "../support/build-model.ts";

const SPEC: NetworkSpec = {
  name: "alif",
  time: { steps: 6, dt_ms: 1 },
  input: { shape: [5], encoding: { kind: "events", bin_ms: 1 } },
  layers: [
    { kind: "dense", size: 4, neuron: { tau_adapt_ms: 1 / Math.LN2, beta_adapt: 0.5 } },
    { kind: "dense", size: 3 },
    { kind: "readout", size: 2 },
  ],
  training: { batch: 2, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
};

describe.each(["cpu", "cuda"] as const)("an ALIF layer on the %s backend", (backend) => {
  const files = emitBackend(buildPlan(networkOf(SPEC)), backend, "alif.json");
  const header = files.find((f) => f.path === "network.h")!.content;
  const kernels = files.find((f) => f.path === (backend === "cpu" ? "kernels.cpp" : "kernels.cu"))!.content;
  const l1 = header.slice(header.indexOf("namespace l1 {"), header.indexOf("}  // namespace l1"));
  const l2 = header.slice(header.indexOf("namespace l2 {"), header.indexOf("}  // namespace l2"));

  it("has the adaptive threshold's hooks and constants in l1 only", () => {
    expect(l1).toContain("SNN_HD float membrane(const State& s) { return s.v - BETA_A * s.a; }");
    expect(l1).toContain("s.a = RHO * s.a + spiked;");
    expect(l1).toMatch(/constexpr float RHO = 0\.5f;/);
    expect(l1).toMatch(/constexpr float BETA_A = 0\.5f;/);
    expect(l1).toContain("constexpr int PROPAGATOR_WIDTH = 3;");
    expect(l1).toContain("const float total = e + g * a.da;");
    expect(l2).not.toContain("BETA_A");
    expect(l2).toContain("SNN_HD void inject(Adjoint& a, float e, float /*g*/) { a.dv = a.dv + e; }");
  });

  it("walks its propagator (αⁿ, ρⁿ, ρⁿ⁻¹)", () => {
    // n = 0, 1, 2 with ρ = 0.5 (exact in float32); αⁿ left as printed.
    expect(kernels).toMatch(/1\.0f, 1\.0f, 0\.0f, [0-9.e-]+f, 0\.5f, 1\.0f, [0-9.e-]+f, 0\.25f, 0\.5f/);
  });

  if (backend === "cuda")
    it("stages g for l1's inject in its sparse kernel, not for l2's", () => {
      // One kernel's source: from its signature to the next kernel's.
      const sparse = (id: string) => {
        const at = kernels.indexOf(`backward_sparse_${id}(Buffers d)`);
        return kernels.slice(at, kernels.indexOf("__global__", at));
      };
      expect(sparse("l1")).toContain("inject(adjoint[k], s_e[j], s_g[j]);");
      expect(sparse("l2")).toContain("inject(adjoint[k], s_e[j], 0.0f);");
      expect(sparse("l2")).not.toContain("s_g");
    });
});
