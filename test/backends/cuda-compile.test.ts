// The CI compile check of the CUDA backend (no GPU needed): every shipped model's emitted
// kernels.cu, and that of random conv specs (pool or not, stride 1–2, padding 0–1, conv → pool →
// conv, dense after flatten) and random sum-pool specs (test/support/sumpool-cases.ts), compiles
// for sm_90 with the flags the build uses, and ptxas reports no register spills in any kernel.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { loadNetwork } from "../../compiler/pipeline.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { resolveSpec } from "../../compiler/spec/defaults.ts";
import { NEURON_SPECS } from "../support/neuron-specs.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { networkOf } from "../support/build-model.ts";
import { randomSpec } from "../support/random-spec.ts";
import { RECURRENT_NEURON_SPECS } from "../support/recurrent-neuron-specs.ts";
import { TAU_SPECS } from "../support/tau-specs.ts";
import { ALIF_LEARN_SPECS } from "../support/alif-learn-specs.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { GPU_CHECK_CONV_SPECS } from "../support/conv-cases.ts";
import { SUMPOOL_GATHER_SPECS, SUMPOOL_SPECS } from "../support/sumpool-cases.ts";
import { randomConvSpec } from "../support/random-spec.ts";
import { compileCubin, hasNvcc } from "../support/nvcc-cubin.ts";

const MODELS = ["tiny", "fmnist", "nmnist", "shd", "fmnist-deep", "fmnist-conv", "fmnist-conv-dense", "nmnist-conv", "shd-hetero"];
const root = mkdtempSync(join(tmpdir(), "snnc-nvcc-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Emits `net` for CUDA, compiles it for sm_90 and checks that ptxas spilled no register; the
 *  kernels' names. */
function compileCuda(name: string, net: Network): string[] {
  return compilesWithoutSpills(join(root, name), emitBackend(buildPlan(net), "cuda", `${name}.json`));
}

describe.skipIf(!hasNvcc)("emitted CUDA compiles with nvcc -cubin -arch=sm_90", () => {
  for (const model of MODELS) {
    it(model, () => {
      const net = loadNetwork(`models/${model}.json`);
      const kernels = compileCuda(model, net);
      if (model === "fmnist-conv")
        expect(kernels.filter((k) => /conv|maxpool|_l1|_l2/.test(k)).length).toBeGreaterThanOrEqual(6);
      // nmnist-conv: the convs l4 and dense l7 above its sum-pools read through the window maps.
      if (model === "nmnist-conv") expect(kernels.filter((k) => /_l4E|_l7E/.test(k)).length).toBe(6);
    });
  }
  it("shd-hetero with 4096 hidden neurons: per-neuron trained τ at the largest dense layer (registers, shared memory)", () => {
    const spec = JSON.parse(readFileSync("models/shd-hetero.json", "utf8"));
    spec.name = "shd-hetero-4096";
    spec.layers[0].size = 4096;
    compileCuda("shd-hetero-4096", networkOf(spec));
  });
  it("shd-alif with 2048 hidden neurons and trained adaptation (three per-neuron shared arrays and the input cache within 48 KiB, registers)", () => {
    const spec = JSON.parse(readFileSync("models/shd-alif.json", "utf8"));
    spec.name = "shd-alif-learn-2048";
    spec.layers[0].size = 2048;
    spec.layers[0].neuron = { ...spec.layers[0].neuron, learn_adapt: true };
    compileCuda("shd-alif-learn-2048", networkOf(spec));
  });
  it("tiny with AdamW and clipping by the global norm (the grad_norm kernel)", () => {
    const spec = networkOf("models/tiny.json");
    const net: Network = { ...spec, name: "tiny-clip", training: { ...spec.training, weightDecay: 0.01, clipGradNorm: 1 } };
    expect(compileCuda("tiny-clip", net).some((k) => k.includes("grad_norm"))).toBe(true);
  });
  for (const [name, make] of GPU_CHECK_CONV_SPECS) {
    it(`${name} (random conv spec)`, () => {
      const kernels = compileCuda(name, lowerSpec(resolveSpec(make())));
      expect(kernels.some((k) => k.includes("forward_lif_l1"))).toBe(true);
    });
  }
  // Sum-pools (no kernel of their own): conv, dense and readout stages reading through the window
  // maps, chains, windows that leave rows uncovered, a sum-pool on the input events.
  for (const [name, seed, opts] of [...SUMPOOL_SPECS, ...SUMPOOL_GATHER_SPECS]) {
    it(`${name} (random sum-pool spec ${seed})`, () => {
      const net = lowerSpec(resolveSpec(randomConvSpec(seed, opts)));
      expect(net.layers.some((l) => l.kind === "sumpool")).toBe(true);
      compileCuda(`sumpool-${seed}`, net);
    });
  }
});

// The neuron options beyond the paper's LIF (bias, IF, reset to_reset, CuBa; test/support/
// neuron-specs.ts), dense and conv (per-filter bias through the conv kernels): each compiles, no spills.
describe.skipIf(!hasNvcc)("emitted CUDA with bias, IF, reset modes and CuBa compiles for sm_90 without spills", () => {
  for (const n of NEURON_SPECS) {
    it(n.name, () => {
      const net = lowerSpec(resolveSpec(n.spec()));
      compileCuda(`neurons-${net.name}`, net);
    });
  }
});

// Recurrent layers at different depths and spiking readouts (random specs the CPU numerics test
// also runs) and the shipped SHD-sized recurrent model.
const EXTRA: [string, () => NetworkSpec | string][] = [
  ["shd-recurrent (700 → 128 recurrent CuBa → 20, T = 500)", () => "models/shd-recurrent.json"],
  ["random spec 1, every hidden layer recurrent", () => randomSpec(1, { recurrent: "all" })],
  ["random spec 4, some layers recurrent", () => randomSpec(4, { recurrent: "some" })],
  ["random spec 13, spiking readout", () => randomSpec(13, { spikingReadout: true })],
  ["random spec 16, recurrent layers and a recurrent spiking readout", () => randomSpec(16, { recurrent: "all", spikingReadout: "recurrent" })],
  // Recurrence and spiking readouts with bias, IF, both resets and CuBa (the CPU numerics test's).
  ...RECURRENT_NEURON_SPECS.map((c): [string, () => NetworkSpec] => [`random spec ${c.seed}, ${c.name}`, c.spec]),
  // Per-neuron τ (docs/design.md §2.1): the decays in registers, the traces, per-neuron powers.
  ...TAU_SPECS.map((c): [string, () => NetworkSpec] => [`random spec ${c.seed}, per-neuron τ: ${c.name}`, c.spec]),
  ...ALIF_LEARN_SPECS.map((c): [string, () => NetworkSpec] => [`random spec ${c.seed}, trained ALIF adaptation: ${c.name}`, c.spec]),
];

describe.skipIf(!hasNvcc)("emitted CUDA of recurrent networks and spiking readouts compiles with nvcc -cubin -arch=sm_90", () => {
  for (const [name, spec] of EXTRA) {
    it(name, () => {
      const plan = buildPlan(networkOf(spec()));
      compilesWithoutSpills(join(root, `extra-${plan.network.name}`), emitBackend(plan, "cuda", plan.network.name));
    });
  }
});

/** The compile check for one emitted network: nvcc succeeds, a sparse backward kernel is among
 *  the kernels, and none spills. */
function compilesWithoutSpills(dir: string, files: ReturnType<typeof emitBackend>): string[] {
  const { kernels, log } = compileCubin(dir, files);
  const names = kernels.map((k) => k.name);
  expect(names.some((k) => k.includes("backward_sparse"))).toBe(true);
  expect(kernels.filter((k) => k.spillStores > 0 || k.spillLoads > 0).map((k) => k.name), log).toEqual([]);
  return names;
}
