// The train and test splits a network trains on: its spec names the dataset and the encoding; the
// shapes (inputs, steps, classes) must agree with the network, or training would fail in the kernels.

import type { Network } from "../../compiler/ir/types.ts";
import { polarityChannels } from "../../compiler/spec/datasets.ts";
import { DataError } from "../data/data-error.ts";
import { loadDataset, type LoadedDataset } from "../data/index.ts";

export async function loadNetworkData(
  net: Network,
  opts: { dir?: string; synthetic?: { trainSamples?: number; testSamples?: number; seed?: number } } = {},
): Promise<LoadedDataset> {
  const enc = net.input.encoding;
  const data = await loadDataset(net.input.dataset, {
    dir: opts.dir,
    steps: net.steps,
    ...(enc.kind === "latency" ? { tauEffSteps: enc.tauEffSteps, theta: enc.theta } : { binMs: enc.binMs }),
    polarityChannels: polarityChannels(net.input.dataset, net.input.shape),
    synthetic: { ...opts.synthetic, inputs: net.input.size, classes: net.classes },
    // The delayed-XOR task takes the same sample counts and seed (its shape is fixed).
    delayedXor: opts.synthetic,
  });
  for (const split of [data.train, data.test]) {
    const bad =
      split.inputs !== net.input.size ? `${split.inputs} inputs, the network takes ${net.input.size}` :
      split.steps !== net.steps ? `${split.steps} steps, the network runs ${net.steps}` :
      split.classes !== net.classes ? `${split.classes} class${split.classes === 1 ? "" : "es"}, the readout has ${net.classes}` : null;
    if (bad) throw new DataError(opts.dir ?? "", `the ${net.input.dataset} ${split.name} split has ${bad}`);
  }
  return data;
}
