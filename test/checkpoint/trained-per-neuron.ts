// Checks shared by the tests of per-neuron tensors that Adam trains without weight decay (per-neuron
// τ's α, ALIF's ρ and β_a): a neuron that never got a gradient keeps its value exactly, and a run
// saved, restored into a fresh model (whose own weight decay is set, to show it is not used) and
// stepped once more equals the uninterrupted run bit for bit.

import { join } from "node:path";
import { expect } from "vitest";
import type { Network, WeightTensor } from "../../compiler/ir/types.ts";
import { loadCheckpoint, restoreCheckpoint, saveCheckpoint } from "../../runtime/checkpoint/checkpoint.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { randomBatch } from "../support/random-data.ts";

/** How many neurons of `w` Adam never moved (first moment exactly 0); each must hold its `before`. */
export function untouchedKeepTheirValue(model: SnnModel, w: WeightTensor, before: Float32Array): number {
  const a = model.getWeights(w.name);
  let untouched = 0;
  model.getAdamState(w.name).m.forEach((mk, k) => {
    if (mk === 0) {
      untouched++;
      expect(a[k]).toBe(before[k]);
    }
  });
  return untouched;
}

/** Saves `model` (lr 0.05), restores it into a fresh model and takes one more step with both. */
export function expectResumesBitForBit(net: Network, addon: NativeAddon, model: SnnModel, tensors: WeightTensor[], dir: string, name: string): void {
  const path = join(dir, `${name}.safetensors`);
  saveCheckpoint(path, model, { epoch: 1, samplesDone: 0, seed: 3, backend: "cpu", batch: net.training.batch, lr: 0.05, epochs: 1, limit: null, partial: null });
  const ckpt = loadCheckpoint(path);
  for (const w of tensors) {
    expect(ckpt.tensors.get(w.name)!.shape).toEqual([w.size]);
    expect(ckpt.tensors.has(`adam_m_${w.name}`)).toBe(true);
  }
  const fresh = new SnnModel(net, addon, { batch: net.training.batch, seed: 99 });
  try {
    fresh.weightDecay = 0.5;
    restoreCheckpoint(fresh, ckpt, `${name}.json`);
    const next = randomBatch(net.steps, net.input.size, net.training.batch, net.classes, 0.3, 40);
    model.trainStep(next, 0.05);
    fresh.trainStep(next, 0.05);
    for (const n of model.weightNames) {
      expect(fresh.getWeights(n), n).toEqual(model.getWeights(n));
      expect(fresh.getAdamState(n), n).toEqual(model.getAdamState(n));
    }
  } finally {
    fresh.dispose();
  }
}
