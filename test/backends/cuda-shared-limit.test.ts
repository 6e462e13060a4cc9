// The CUDA dense sparse backward keeps per-neuron arrays in static shared memory (48 KiB a block):
// δ and ∂L/∂V, and for ALIF the surrogate g too (compiler/backends/cuda/launch.ts). A layer whose
// arrays cannot fit is refused in one sentence before anything is emitted; one that fits leaves
// its input cache only the room that is left. ALIF at 2048 neurons compiling without spills is
// cuda-compile.test.ts's.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cuda } from "../../compiler/backends/cuda/backend.ts";
import { inputCache, maxSharedNeurons, sharedBytesPerNeuron } from "../../compiler/backends/cuda/launch.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { networkOf } from "../support/build-model.ts";

/** shd-alif (T = 500, events input) or shd-recurrent with its hidden layer resized. */
function planOf(model: "shd-alif" | "shd-recurrent", size: number) {
  const spec = JSON.parse(readFileSync(`models/${model}.json`, "utf8"));
  spec.name = `${model}-${size}`;
  spec.layers[0].size = size;
  return buildPlan(networkOf(spec));
}

describe("the CUDA sparse backward's shared memory", () => {
  it("ALIF stages its surrogate g: 12 bytes a neuron against 8, so at T = 500 at most 3333 ALIF neurons", () => {
    expect(sharedBytesPerNeuron(true)).toBe(12);
    expect(sharedBytesPerNeuron(false)).toBe(8);
    expect(maxSharedNeurons(500, 12, true)).toBe(3333);
    // A plain LIF layer is bounded by the register limit (4096) first.
    expect(maxSharedNeurons(500, 8, true)).toBeGreaterThan(4096);
  });

  it("an ALIF layer too large is refused with its JSON path and a way out; one that fits is not", () => {
    expect(cuda.unsupported!(planOf("shd-alif", 4096))).toBe(
      "/layers/0: 4096 ALIF neurons exceed the 3333 whose sparse-backward arrays fit in a CUDA block's shared memory at T = 500; use --backend cpu",
    );
    expect(cuda.unsupported!(planOf("shd-alif", 3333))).toBeUndefined();
    expect(cuda.unsupported!(planOf("shd-recurrent", 4096))).toBeUndefined();
  });

  it("so many steps that the per-step tables alone overflow it (events input): refused for the steps, not a negative count", () => {
    const spec = JSON.parse(readFileSync("models/shd-recurrent.json", "utf8"));
    spec.time.steps = 4000;
    expect(maxSharedNeurons(4000, 8, true)).toBeLessThan(1);
    // A stage fed by the layer below has no event table to keep: it still fits some neurons.
    expect(maxSharedNeurons(4000, 8, false)).toBeGreaterThan(0);
    expect(cuda.unsupported!(buildPlan(networkOf(spec)))).toBe(
      "/layers/0: at T = 4000 steps the sparse backward's per-step tables alone exceed a CUDA block's shared memory; use --backend cpu",
    );
  });

  it("the input cache gets what the per-neuron arrays leave: 2048 fewer events (4 bytes each) for 2048 ALIF neurons than LIF", () => {
    const lif = inputCache(500, 2048, 0, true, 8).eventCache;
    const alif = inputCache(500, 2048, 0, true, 12).eventCache;
    expect(lif - alif).toBe(2048);
    // Everything staged still fits the 46 KiB budget: arrays, offset tables, the cache.
    expect(12 * 2048 + 8 * 501 + 4 * (500 / 32 + 1) + 1024 + 4 * 501 + 4 * alif).toBeLessThanOrEqual(46 * 1024);
  });
});
