// The GPU check of the CUDA step launch options (--step-graph, --overlap-upload; the `+graph`
// cases of pack.ts): several consecutive training steps on different batches, each next batch
// handed to trainStep early (so the pinned double buffer and the swapped input sets are used, and
// the graph is replayed), a tiny initial active set (so a step overflows, the sets grow and the
// graph is captured anew), a smaller batch in the middle (another capture) and a forward on a
// batch that was handed early. Before each step the CPU backend takes the CUDA model's weights and
// Adam state and runs the same step: stats, spikes and gradients must agree as in `numerics`, and
// the weights the graph's Adam wrote must be Adam's update with this step's step size.

import { clipFactor } from "../../test/backends/optimizer-step-check.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { isSpiking, weightTensors } from "../../compiler/ir/layers.ts";
import { randomSpikeBatch } from "../../runtime/bench/synthetic-batch.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import type { StepStats } from "../../runtime/model/step-stats.ts";
import { relError } from "../../test/backends/numerics-check.ts";

export interface StepLaunchResult {
  steps: number;
  /** Graphs the CUDA model captured: fewer than the steps means replays happened. */
  captures: number | null;
  /** Active-set growths over the steps (at least one is forced). */
  regrows: number;
  spikeMismatches: number;
  spikes: number;
  lossError: number;
  gradError: number;
  /** Largest relative error of the CUDA weights after a step against Adam's update on the host. */
  adamError: number;
  forwardLossError: number;
  pass: boolean;
}

const f = Math.fround;

/** Adam's update of one tensor as the kernels do it (float32, bias corrections folded in). */
/** One AdamW step in float32 operations as the kernels order them; `clip`: the clipping factor
 *  applied to each gradient (1 without clipping), `decay`: 1 − lr·λ (1 for plain Adam). */
function adamExpected(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, b1: number, b2: number, stepSize: number, epsHat: number, decay: number, clip: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let k = 0; k < w.length; k++) {
    const gk = f(f(clip) * g[k]);
    const mk = f(f(f(b1) * m[k]) + f(f(1 - f(b1)) * gk));
    const vk = f(f(f(b2) * v[k]) + f(f(f(1 - f(b2)) * gk) * gk));
    out[k] = f(f(w[k] * f(decay)) - f(f(f(stepSize) * mk) / f(f(Math.sqrt(vk)) + f(epsHat))));
  }
  return out;
}


function spikeDiff(a: SnnModel, b: SnnModel, net: Network): { mismatches: number; spikes: number } {
  let mismatches = 0;
  let spikes = 0;
  for (const l of net.layers.filter(isSpiking)) {
    const x = a.spikes(l.id);
    const y = b.spikes(l.id);
    for (let k = 0; k < y.length; k++) {
      spikes += y[k];
      if (x[k] !== y[k]) mismatches++;
    }
  }
  return { mismatches, spikes };
}

/** `expectGraph`: false in a dry run (SNNC_CHECK_DRY_RUN), where a CPU addon stands in for the CUDA one. */
export function stepLaunchCheck(net: Network, cuda: NativeAddon, cpu: NativeAddon, seed: number, density: number, expectGraph = true): StepLaunchResult {
  const B = Math.min(16, net.training.batch);
  // A smaller batch in the middle; enough steps of one size that replays must outnumber captures.
  const sizes = [B, B, B, B, B, Math.max(1, B - 7), B, B, B, B, B, B];
  const batches: SpikeBatch[] = sizes.map((n, k) => randomSpikeBatch(n, net.steps, net.input.size, net.classes, density, seed * 100 + k));
  const lr = net.training.adam.lr;
  const { beta1, beta2, eps } = net.training.adam;
  const tensors = new Map(weightTensors(net).map((w) => [w.name, w]));
  const gpu = new SnnModel(net, cuda, { batch: B, activeCapacity: 0.001, seed });
  const ref = new SnnModel(net, cpu, { batch: B, seed });
  const r: StepLaunchResult = { steps: batches.length, captures: null, regrows: 0, spikeMismatches: 0, spikes: 0, lossError: 0, gradError: 0, adamError: 0, forwardLossError: 0, pass: false };
  const sync = () => {
    for (const n of gpu.weightNames) {
      ref.setWeights(n, gpu.getWeights(n));
      const { m, v } = gpu.getAdamState(n);
      ref.setAdamState(n, m, v);
    }
    ref.adamSteps = gpu.adamSteps;
  };
  const lossErr = (a: StepStats, b: StepStats) => Math.abs(a.loss - b.loss) / Math.max(Math.abs(b.loss), 1e-12);
  try {
    for (let k = 0; k < batches.length; k++) {
      sync();
      const before = new Map(gpu.weightNames.map((n) => [n, { w: gpu.getWeights(n), ...gpu.getAdamState(n) }]));
      const s = gpu.trainStep(batches[k], lr, batches[k + 1]);
      const c = ref.trainStep(batches[k], lr);
      r.regrows += s.regrows;
      r.lossError = Math.max(r.lossError, lossErr(s, c));
      const d = spikeDiff(gpu, ref, net);
      r.spikeMismatches += d.mismatches;
      r.spikes += d.spikes;
      // Adam's bias corrections of this step (SnnModel.adamFactors), applied to the CUDA model's own gradients.
      const t = gpu.adamSteps;
      const c2 = Math.sqrt(1 - beta2 ** t);
      const clip = clipFactor(net, gpu.weightNames.map((n) => gpu.getGradients(n))).coef;
      for (const n of gpu.weightNames) {
        const g = gpu.getGradients(n);
        r.gradError = Math.max(r.gradError, relError(g, ref.getGradients(n)));
        const p = before.get(n)!;
        // A per-neuron α (docs/design.md §2.1): no AdamW decay, clamped to its range after the
        // step; a fixed one is never stepped.
        const tensor = tensors.get(n)!;
        // A trained ALIF's ρ likewise; its β_a: no decay, kept ≥ 0.
        const range = tensor.init.tau;
        const betaAdapt = tensor.role === "beta_adapt";
        const want =
          tensor.trainable === false ? p.w
          : adamExpected(p.w, p.m, p.v, g, beta1, beta2, (lr * c2) / (1 - beta1 ** t), eps * c2, range || betaAdapt ? 1 : 1 - lr * gpu.weightDecay, clip).map((x) =>
              range ? Math.min(range.alphaMax, Math.max(range.alphaMin, x)) : betaAdapt ? Math.max(0, x) : x,
            );
        r.adamError = Math.max(r.adamError, relError(gpu.getWeights(n), want));
      }
      if (k === 3) {
        // A forward on the batch handed early: it is already on the device (no load).
        sync();
        r.forwardLossError = lossErr(gpu.forward(batches[4]), ref.forward(batches[4]));
      }
    }
    r.captures = gpu.graphCaptures();
  } finally {
    gpu.dispose();
    ref.dispose();
  }
  r.pass =
    r.spikeMismatches === 0 && r.lossError <= 1e-4 && r.gradError <= 1e-4 && r.adamError <= 1e-5 && r.forwardLossError <= 1e-4 &&
    r.regrows > 0 && (!expectGraph || (r.captures !== null && r.captures >= 2 && r.captures < r.steps));
  return r;
}
