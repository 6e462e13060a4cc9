// AdamW and clipping by the global gradient norm, as the kernels run them, against a float64
// implementation of their formulas (PyTorch's AdamW and clip_grad_norm_): the weights, moments and
// ‖g‖ after one step, from the state and gradients read just before it. On the CPU backend and on the
// emulated CUDA build (the CUDA kernels on HIP-CPU; its step case random-1-adamw-clip+overlap runs
// AdamW and clipping over 12 more steps), on the tiny network and on random specs.

import { describe, expect, it } from "vitest";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { buildModel } from "../support/build-model.ts";
import { randomConvSpec, randomSpec } from "../support/random-spec.ts";
import { EMULATION } from "../backends/emulated-cuda.ts";
import { optimizerStepCheck } from "../backends/optimizer-step-check.ts";
import { readFileSync } from "node:fs";

/** The spec with its gradients clipped to `clip` (baked into the kernels); AdamW's λ is a run-time
 *  value, so the cases below share one build per spec and set λ on the model. */
function clipped(spec: NetworkSpec, clip: number): NetworkSpec {
  return { ...structuredClone(spec), name: `opt-${spec.name}-clip`, training: { ...spec.training, clip_grad_norm: clip } };
}

const tiny = JSON.parse(readFileSync("models/tiny.json", "utf8")) as NetworkSpec;
const tinyClipped = clipped(tiny, 0.01);
const CASES: { name: string; spec: NetworkSpec | string; weightDecay: number; emulated: boolean }[] = [
  { name: "tiny, AdamW and clipping", spec: tinyClipped, weightDecay: 0.05, emulated: true },
  { name: "tiny, clipping only", spec: tinyClipped, weightDecay: 0, emulated: false },
  { name: "tiny, AdamW only", spec: "models/tiny.json", weightDecay: 0.3, emulated: false },
  { name: "random recurrent, AdamW and clipping", spec: clipped(randomSpec(5, { recurrent: "all" }), 0.005), weightDecay: 0.01, emulated: false },
  { name: "random conv, AdamW and clipping", spec: clipped(randomConvSpec(3), 0.005), weightDecay: 0.02, emulated: false },
];

describe("AdamW and gradient clipping against their float64 formulas", () => {
  const backends = EMULATION.ok ? (["cpu", "cuda"] as const) : (["cpu"] as const);
  if (!EMULATION.ok) console.log(`skipped: the emulated CUDA half of optimizer-step.test.ts: ${EMULATION.missing}`);
  for (const backend of backends)
    for (const c of CASES.filter((c) => backend === "cpu" || c.emulated))
      it(`${c.name} (${backend === "cpu" ? "CPU" : "emulated CUDA"})`, async () => {
        const { net, addon } = await buildModel(c.spec, backend, backend === "cuda" ? { emulated: true } : {});
        const r = optimizerStepCheck(net, addon, 0.02, c.weightDecay);
        expect(r.moved, "the step moved weights").toBeGreaterThan(0);
        if (net.training.clipGradNorm !== null) {
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
