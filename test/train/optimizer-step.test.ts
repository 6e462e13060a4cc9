// AdamW and clipping by the global gradient norm, as the kernels run them, against a float64
// implementation of their formulas (PyTorch's AdamW and clip_grad_norm_): the weights, moments and
// ‖g‖ after one step, from the state and gradients read just before it. On the CPU backend and on the
// emulated CUDA build (the CUDA kernels on HIP-CPU), on the tiny network and on random specs.

import { describe, expect, it } from "vitest";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { buildModel } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";
import { randomConvSpec, randomSpec } from "../support/random-spec.ts";
import { EMULATION } from "../backends/emulated-cuda.ts";
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

/** One step in float64, PyTorch's order: clip the gradients, decay the weight, then Adam. */
function referenceStep(state: Map<string, { w: Float32Array; m: Float32Array; v: Float32Array; g: Float32Array }>, net: Network, lr: number, t: number) {
  const { beta1, beta2, eps } = net.training.adam;
  let sq = 0;
  for (const { g } of state.values()) for (const x of g) sq += x * x;
  const norm = Math.sqrt(sq);
  const max = net.training.clipGradNorm;
  const coef = max === null ? 1 : Math.min(1, max / (norm + 1e-6));
  const b1 = Math.fround(beta1);
  const b2 = Math.fround(beta2);
  const out = new Map<string, { w: Float64Array; m: Float64Array; v: Float64Array }>();
  for (const [name, { w, m, v, g }] of state) {
    const W = new Float64Array(w.length);
    const M = new Float64Array(w.length);
    const V = new Float64Array(w.length);
    for (let k = 0; k < w.length; k++) {
      const gk = g[k] * coef;
      M[k] = b1 * m[k] + (1 - b1) * gk;
      V[k] = b2 * v[k] + (1 - b2) * gk * gk;
      const mHat = M[k] / (1 - beta1 ** t);
      const vHat = V[k] / (1 - beta2 ** t);
      W[k] = w[k] * (1 - lr * net.training.weightDecay) - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    out.set(name, { w: W, m: M, v: V });
  }
  return { norm, coef, out };
}

/** Trains a few steps (so the moments are not zero), then checks one more step against referenceStep. */
function checkStep(net: Network, addon: NativeAddon, lr: number) {
  const model = new SnnModel(net, addon, { batch: 4 });
  try {
    for (let k = 0; k < 3; k++) model.trainStep(randomBatch(net.steps, net.input.size, 4, net.classes, 0.2, 100 + k), lr);
    model.forward(randomBatch(net.steps, net.input.size, 4, net.classes, 0.2, 7));
    model.backwardPass();
    const before = new Map(model.weightNames.map((n) => [n, { w: model.getWeights(n), ...model.getAdamState(n), g: model.getGradients(n) }]));
    model.step(lr);
    const ref = referenceStep(before, net, lr, model.adamSteps);
    let worstW = 0;
    let worstMoment = 0;
    let moved = 0;
    for (const name of model.weightNames) {
      const w = model.getWeights(name);
      const { m, v } = model.getAdamState(name);
      const r = ref.out.get(name)!;
      const w0 = before.get(name)!.w;
      for (let k = 0; k < w.length; k++) {
        // The float32 weight carries ~6e-8·|w| of rounding; the update itself is checked relative to its size.
        const step = Math.abs(r.w[k] - w0[k]);
        if (step > 0) moved++;
        worstW = Math.max(worstW, Math.abs(w[k] - r.w[k]) / (2e-7 * Math.abs(w0[k]) + 1e-4 * step + 1e-12));
        worstMoment = Math.max(worstMoment, Math.abs(m[k] - r.m[k]) / (Math.abs(r.m[k]) + 1e-12), Math.abs(v[k] - r.v[k]) / (Math.abs(r.v[k]) + 1e-20));
      }
    }
    // The norm a training step reports is that of its own gradients: the same batch on the same
    // weights through forward + backward gives the same gradients.
    const probe = randomBatch(net.steps, net.input.size, 4, net.classes, 0.2, 8);
    model.forward(probe);
    model.backwardPass();
    let sq = 0;
    for (const name of model.weightNames) for (const x of model.getGradients(name)) sq += x * x;
    const reported = model.trainStep(probe, lr).gradNorm;
    return { ...ref, worstW, worstMoment, moved, reported, probeNorm: Math.sqrt(sq) };
  } finally {
    model.dispose();
  }
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
        const r = checkStep(net, addon, 0.02);
        expect(r.moved, "the step moved weights").toBeGreaterThan(0);
        if (c.recipe.clip !== undefined) {
          // The bound is below the norm, so the clipping is really exercised.
          expect(r.coef).toBeLessThan(1);
          expect(r.reported).not.toBeNull();
          expect(Math.abs(r.reported! - r.probeNorm)).toBeLessThanOrEqual(1e-5 * r.probeNorm);
        } else expect(r.reported).toBeNull();
        expect(r.worstMoment).toBeLessThanOrEqual(2e-5);
        expect(r.worstW).toBeLessThanOrEqual(1);
      });
});
