// The addon surface data-parallel training uses (runtime/mpi/data-parallel.ts), on the CPU backend
// and on the CUDA kernels built against HIP-CPU: every weight gradient in one arena (in weight
// order, each tensor from a 64-float boundary), read and written in one copy, and the loss
// averaged over a batch larger than the one loaded, so the gradients of a batch's halves add up to
// the whole batch's gradient.

import { describe, expect, it } from "vitest";
import type { Network } from "../../compiler/ir/types.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { sliceBatchRange } from "../../runtime/bench/synthetic-batch.ts";
import { describeEmulated } from "../backends/emulated-cuda.ts";
import { buildModel } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";

const B = 8;

function offsets(model: SnnModel): number[] {
  let at = 0;
  return model.weightTensors.map((w) => {
    const here = at;
    at += Math.ceil(w.size / 64) * 64;
    return here;
  });
}

function arena(model: SnnModel): Float32Array {
  const host = new Float32Array(model.gradientArena().floats);
  model.readGradients(host);
  return host;
}

function checks(build: () => Promise<{ net: Network; addon: NativeAddon }>, device: boolean) {
  it("holds every gradient tensor at its place, and reads, writes and zeroes them in one copy", async () => {
    const { net, addon } = await build();
    const model = new SnnModel(net, addon, { batch: B, seed: 2 });
    try {
      const info = model.gradientArena();
      expect(info.device).toBe(device);
      const at = offsets(model);
      expect(info.floats).toBe(at.at(-1)! + Math.ceil(model.weightTensors.at(-1)!.size / 64) * 64);
      model.forward(randomBatch(net.steps, net.input.size, B, net.classes, 0.2, 5));
      model.backwardPass();
      const all = arena(model);
      model.weightNames.forEach((name, k) => expect(all.subarray(at[k], at[k] + model.weightTensors[k].size)).toEqual(model.getGradients(name)));
      const written = all.map((_, k) => k + 0.5);
      model.writeGradients(written);
      model.weightNames.forEach((name, k) => expect(model.getGradients(name)).toEqual(written.subarray(at[k], at[k] + model.weightTensors[k].size)));
      model.zeroGradients();
      expect(arena(model).every((g) => g === 0)).toBe(true);
      expect(() => model.readGradients(new Float32Array(3))).toThrow(/holds \d+ floats, got 3/);
    } finally {
      model.dispose();
    }
  });

  it("averaged over the whole batch, the gradients of its two halves add up to the whole batch's", async () => {
    const { net, addon } = await build();
    const whole = new SnnModel(net, addon, { batch: B, seed: 2 });
    const half = new SnnModel(net, addon, { batch: B / 2, seed: 2 });
    try {
      const batch = randomBatch(net.steps, net.input.size, B, net.classes, 0.2, 6);
      const stats = whole.forward(batch);
      whole.backwardPass();
      const want = arena(whole);
      half.setLossBatch(B);
      const raws = [sliceBatchRange(batch, 0, B / 2), sliceBatchRange(batch, B / 2, B)].map((part) => {
        const raw = half.forwardRaw(part);
        half.backwardPass();
        return { raw, grads: arena(half) };
      });
      const scale = Math.max(...want.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      let worst = 0;
      for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(raws[0].grads[k] + raws[1].grads[k] - want[k]));
      expect(worst / scale).toBeLessThan(1e-6);
      const summed = half.decode(raws[0].raw.map((x, k) => x + raws[1].raw[k]), B);
      expect(summed.loss).toBeCloseTo(stats.loss, 6);
      expect(summed.correct).toBe(stats.correct);
    } finally {
      whole.dispose();
      half.dispose();
    }
  });
}

describe("gradient arena, CPU backend", () => checks(() => buildModel("models/tiny.json", "cpu"), false));

describeEmulated("gradient arena, CUDA kernels on HIP-CPU", () => checks(() => buildModel("models/tiny.json", "cuda", { emulated: true }), true));
