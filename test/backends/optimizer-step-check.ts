// One AdamW step with clipping by the global gradient norm, as the kernels run it, against a
// float64 implementation of PyTorch's formulas (AdamW, clip_grad_norm_): the weights, moments and
// reported ‖g‖ after one step, from the state and gradients read just before it. Shared by the
// tests (CPU, emulated CUDA) and the GPU check (scripts/gpu/check-entry.ts).

import type { Network } from "../../compiler/ir/types.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { randomBatch } from "../support/random-data.ts";

type StepState = Map<string, { w: Float32Array; m: Float32Array; v: Float32Array; g: Float32Array }>;

/** One step in float64, PyTorch's order: clip the gradients, decay the weight, then Adam. */
/** torch.nn.utils.clip_grad_norm_'s factor for these gradients, in float64 (1 when the network
 *  does not clip), and their global norm. */
export function clipFactor(net: Network, grads: Float32Array[]): { norm: number; coef: number } {
  let sq = 0;
  for (const g of grads) for (const x of g) sq += x * x;
  const norm = Math.sqrt(sq);
  const max = net.training.clipGradNorm;
  return { norm, coef: max === null ? 1 : Math.min(1, max / (norm + 1e-6)) };
}

function referenceStep(state: StepState, net: Network, lr: number, t: number, weightDecay: number) {
  const { beta1, beta2, eps } = net.training.adam;
  const { norm, coef } = clipFactor(net, [...state.values()].map((s) => s.g));
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
      W[k] = w[k] * (1 - lr * weightDecay) - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    out.set(name, { w: W, m: M, v: V });
  }
  return { norm, coef, out };
}

export interface OptimizerStepResult {
  /** max |w − w_ref| in units of (2e-7·|w| + 1e-4·|Δw_ref|): ≤ 1 passes. */
  worstW: number;
  /** max relative error of the moments m and v. */
  worstMoment: number;
  /** Weights the reference step moved (0 would check nothing). */
  moved: number;
  /** The clipping factor the reference applied (1: no clipping this step). */
  coef: number;
  /** ‖g‖ a training step reported, and its relative error against the float64 sum (0 without clipping). */
  reported: number | null;
  normError: number;
  pass: boolean;
}

/** Trains a few steps (so the moments are not zero), then checks one more step against referenceStep. */
/** `weightDecay`: AdamW's λ for this model (a run-time value: one build serves every λ). */
export function optimizerStepCheck(net: Network, addon: NativeAddon, lr: number, weightDecay = net.training.weightDecay): OptimizerStepResult {
  const model = new SnnModel(net, addon, { batch: 4 });
  model.weightDecay = weightDecay;
  try {
    for (let k = 0; k < 3; k++) model.trainStep(randomBatch(net.steps, net.input.size, 4, net.classes, 0.2, 100 + k), lr);
    model.forward(randomBatch(net.steps, net.input.size, 4, net.classes, 0.2, 7));
    model.backwardPass();
    const before = new Map(model.weightNames.map((n) => [n, { w: model.getWeights(n), ...model.getAdamState(n), g: model.getGradients(n) }]));
    model.step(lr);
    const ref = referenceStep(before, net, lr, model.adamSteps, weightDecay);
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
    const normError = reported === null ? 0 : Math.abs(reported - Math.sqrt(sq)) / Math.sqrt(sq);
    const clips = net.training.clipGradNorm !== null;
    const pass = moved > 0 && worstW <= 1 && worstMoment <= 2e-5 && (clips ? reported !== null && normError <= 1e-5 : reported === null);
    return { worstW, worstMoment, moved, coef: ref.coef, reported, normError, pass };
  } finally {
    model.dispose();
  }
}

