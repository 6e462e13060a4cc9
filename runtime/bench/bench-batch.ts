// The input batch `snnc bench` times a network on (and scripts/kernel-ab.ts, so both time the same
// thing): the first B test samples of the spec's data set, or random spikes at its typical density
// where the data set is not on this machine (N-MNIST and SHD are not shipped).

import type { Network } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../data/spike-batch.ts";

export async function benchBatch(net: Network, B: number, dir?: string): Promise<{ batch: SpikeBatch; source: string }> {
  const { randomSpikeBatch, TYPICAL_DENSITY } = await import("./synthetic-batch.ts");
  const { packBatch } = await import("../data/spike-batch.ts");
  const { loadNetworkData } = await import("../train/data.ts");
  const needsDir = net.input.dataset === "nmnist" || net.input.dataset === "shd";
  if (!needsDir || dir) {
    const data = await loadNetworkData(net, { dir });
    const n = Math.min(B, data.test.length);
    return { batch: packBatch(Array.from({ length: B }, (_, k) => data.test.get(k % n)), net.steps, net.input.size), source: data.source };
  }
  const density = TYPICAL_DENSITY[net.input.dataset] ?? 0.02;
  return {
    batch: randomSpikeBatch(B, net.steps, net.input.size, net.classes, density, 1),
    source: `random spikes at density ${density} (no --data given for ${net.input.dataset})`,
  };
}
