// AdamW and clipping by the global gradient norm, as the kernels run them, against a float64
// implementation of their formulas (PyTorch's AdamW and clip_grad_norm_): the weights, moments and
// ‖g‖ after one step, from the state and gradients read just before it. On the CPU backend and on the
// emulated CUDA build (the CUDA kernels on HIP-CPU), on the tiny network and on random specs.

import { describe, expect, it } from "vitest";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { buildModel } from "../support/build-model.ts";
import { randomConvSpec, randomSpec } from "../support/random-spec.ts";
import { EMULATION } from "../backends/emulated-cuda.ts";
import { optimizerStepCheck } from "../backends/optimizer-step-check.ts";
import { readFileSync } from "node:fs";

interface Recipe {
  weightDecay?: number;
  clip?: number;
}

function withRecipe(spec: NetworkSpec, name: string, r: Recipe): NetworkSpec {
  const s = structuredClone(spec);
  s.name = name;
  s.training.optimizer = { ...s.training.optimizer, kind: r.weightDecay === undefined ? "adam" : "adamw", ...(r.weightDecay !== undefined ? { weight_decay: r.weightDecay } : {}) };
  if (r.clip !== undefined) s.training.clip_grad_norm = r.clip;
  return s;
}

const tiny = JSON.parse(readFileSync("models/tiny.json", "utf8")) as NetworkSpec;
const CASES: { name: string; spec: NetworkSpec; recipe: Recipe; emulated: boolean }[] = [
  { name: "tiny, AdamW and clipping", spec: tiny, recipe: { weightDecay: 0.05, clip: 0.01 }, emulated: true },
  { name: "tiny, clipping only", spec: tiny, recipe: { clip: 0.02 }, emulated: false },
  { name: "tiny, AdamW only", spec: tiny, recipe: { weightDecay: 0.3 }, emulated: false },
  { name: "random recurrent, AdamW and clipping", spec: randomSpec(5, { recurrent: "all" }), recipe: { weightDecay: 0.01, clip: 0.005 }, emulated: true },
  { name: "random conv, AdamW and clipping", spec: randomConvSpec(3), recipe: { weightDecay: 0.02, clip: 0.005 }, emulated: false },
];

describe("AdamW and gradient clipping against their float64 formulas", () => {
  const backends = EMULATION.ok ? (["cpu", "cuda"] as const) : (["cpu"] as const);
  if (!EMULATION.ok) console.log(`skipped: the emulated CUDA half of optimizer-step.test.ts: ${EMULATION.missing}`);
  for (const backend of backends)
    for (const c of CASES.filter((c) => backend === "cpu" || c.emulated))
      it(`${c.name} (${backend === "cpu" ? "CPU" : "emulated CUDA"})`, async () => {
        const spec = withRecipe(c.spec, `opt-${c.spec.name}-${c.recipe.weightDecay ?? 0}-${c.recipe.clip ?? 0}`, c.recipe);
        const { net, addon } = await buildModel(spec, backend, backend === "cuda" ? { emulated: true } : {});
        const r = optimizerStepCheck(net, addon, 0.02);
        expect(r.moved, "the step moved weights").toBeGreaterThan(0);
        if (c.recipe.clip !== undefined) {
          // The bound is below the norm, so the clipping is really exercised.
          expect(r.coef).toBeLessThan(1);
          expect(r.reported).not.toBeNull();
          expect(r.normError).toBeLessThanOrEqual(1e-5);
        } else expect(r.reported).toBeNull();
        expect(r.worstMoment).toBeLessThanOrEqual(2e-5);
        expect(r.worstW).toBeLessThanOrEqual(1);
        expect(r.pass).toBe(true);
      });
});
