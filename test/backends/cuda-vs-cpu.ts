// The CUDA backend against the CPU backend on one random batch, as the GPU check runs it on a GPU
// (scripts/gpu/check-entry.ts) and the emulated-CUDA tests run it on HIP-CPU: spikes of every
// spiking layer identical, membranes, logits and the sparse and dense gradients within tolerance,
// with the biases set to the same non-zero values on both (they start at 0).

import type { Network } from "../../compiler/ir/types.ts";
import { isSpiking, weightTensors } from "../../compiler/ir/layers.ts";
import { randomSpikeBatch, TYPICAL_DENSITY } from "../../runtime/bench/synthetic-batch.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { relError } from "./numerics-check.ts";

export interface CudaVsCpu {
  spikeMismatches: number;
  spikes: number;
  membrane: number;
  logits: number;
  sparseGrad: number;
  denseGrad: number;
}

/** The tolerances the GPU check passes a case by. */
export function cudaMatchesCpu(r: CudaVsCpu): boolean {
  return r.spikeMismatches === 0 && r.sparseGrad <= 1e-4 && r.denseGrad <= 1e-4 && r.membrane <= 1e-5;
}

/** Input density of the comparison: shipped models at 3× their data set's typical density; random
 *  conv specs, which have few inputs and stay nearly silent at 20%, at 50%; other random specs 20%. */
export function vsCpuDensity(net: Network, shipped: boolean): number {
  if (shipped) return (TYPICAL_DENSITY[net.input.dataset] ?? 0.05) * 3;
  return net.layers.some((l) => l.kind === "conv") ? 0.5 : 0.2;
}

/** `dense`: compare the dense backward too (the GPU check always does). */
export function cudaVsCpu(net: Network, cuda: NativeAddon, cpu: NativeAddon, seed: number, density: number, batchSize = 16, dense = true): CudaVsCpu {
  const B = Math.min(batchSize, net.training.batch);
  const batch = randomSpikeBatch(B, net.steps, net.input.size, net.classes, density, seed);
  const out: CudaVsCpu = { spikeMismatches: 0, spikes: 0, membrane: 0, logits: 0, sparseGrad: 0, denseGrad: 0 };
  for (const mode of dense ? (["sparse", "dense"] as const) : (["sparse"] as const)) {
    const models = [cuda, cpu].map((addon) => new SnnModel(net, addon, { batch: B, backward: mode, recordV: true, seed }));
    const [gpu, ref] = models;
    try {
      // Biases start at 0: give both the same non-zero values so the bias path is compared too.
      for (const w of weightTensors(net).filter((x) => x.role === "bias")) {
        const values = Float32Array.from({ length: w.size }, (_, k) => 0.05 * Math.sin(1 + 7 * k + seed));
        for (const m of models) m.setWeights(w.name, values);
      }
      gpu.forward(batch);
      ref.forward(batch);
      gpu.backwardPass();
      ref.backwardPass();
      const grad = Math.max(...gpu.weightNames.map((n) => relError(gpu.getGradients(n), ref.getGradients(n))));
      if (mode === "dense") {
        out.denseGrad = grad;
        continue;
      }
      out.sparseGrad = grad;
      // Every spiking layer, dense and conv and a spiking readout (a pool's spikes follow from its conv's).
      for (const l of net.layers.filter(isSpiking)) {
        const a = gpu.spikes(l.id);
        const b = ref.spikes(l.id);
        for (let k = 0; k < a.length; k++) {
          out.spikes += b[k];
          if (a[k] !== b[k]) out.spikeMismatches++;
        }
        out.membrane = Math.max(out.membrane, relError(gpu.membranes(l.id), ref.membranes(l.id)));
      }
      out.logits = relError(gpu.logits(), ref.logits());
    } finally {
      models.forEach((m) => m.dispose());
    }
  }
  return out;
}
