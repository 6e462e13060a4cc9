// The CUDA kernels with per-neuron τ and trained ALIF adaptation (docs/design.md §2.1) on the CPU
// emulator (g++ against HIP-CPU), against the CPU backend and the float64 reference: one dense spec
// with a LIF + CuBa layer and a LIF layer, α and α_syn trained (their traces, injections and
// per-neuron powers), and an ALIF layer with ρ and β_a trained (its traces −β_a·P_a and −a, e'
// times them by one atomic per active entry from the neuron's thread, (αⁿ, ρⁿ, β_a·ρⁿ⁻¹) per
// neuron), resets mixed; and 12 training steps of the same build against the CPU backend and the
// host's Adam (α, ρ: no decay, clamped; β_a: no decay, ≥ 0). One emulated build for both checks.

import { expect, it } from "vitest";
import { stepLaunchCheck } from "../../scripts/gpu/step-launch-check.ts";
import { buildModel } from "../support/build-model.ts";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { ALIF_LEARN_SPECS } from "../support/alif-learn-specs.ts";
import { cudaVsCpu, vsCpuDensity } from "./cuda-vs-cpu.ts";
import { describeEmulated } from "./emulated-cuda.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

describeEmulated("emulated CUDA matches the CPU backend and the reference with per-neuron trained τ and trained ALIF adaptation", () => {
  const c = ALIF_LEARN_SPECS[0];
  it(`${c.name}: forward, sparse and dense backward, then 12 training steps`, async () => {
    const { net, addon: cuda } = await buildModel(c.spec(), "cuda", { emulated: true });
    const { addon: cpu } = await buildModel(c.spec(), "cpu");
    expect(cuda.info.backend).toBe("cuda");
    const roles = weightTensors(net).map((w) => w.role);
    for (const role of ["alpha", "alpha_syn", "rho", "beta_adapt"]) expect(roles).toContain(role);
    const density = vsCpuDensity(net, false);
    const r = cudaVsCpu(net, cuda, cpu, c.seed, density, 4, true);
    expect(r.spikes).toBeGreaterThan(0);
    expect(r.spikeMismatches).toBe(0);
    expect(r.membrane).toBeLessThanOrEqual(1e-5);
    expect(r.logits).toBeLessThanOrEqual(1e-5);
    expect(r.sparseGrad).toBeLessThanOrEqual(1e-4);
    expect(r.denseGrad).toBeLessThanOrEqual(1e-4);
    expectMatchesReference(checkNumerics(net, cuda, c.seed));
    // No step graph on this build (expectGraph false): the steps, the regrowth and Adam are what count.
    const s = stepLaunchCheck(net, cuda, cpu, c.seed, density, false);
    expect(s.spikeMismatches).toBe(0);
    expect(s.regrows).toBeGreaterThan(0);
    expect(s.lossError).toBeLessThanOrEqual(1e-4);
    expect(s.gradError).toBeLessThanOrEqual(1e-4);
    expect(s.adamError).toBeLessThanOrEqual(1e-5);
    expect(s.pass).toBe(true);
  }, 600_000);
});
