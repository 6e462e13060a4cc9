// Weights to start a run from (`snnc train --init <file>`): any safetensors file holding the
// spec's tensors (w1, w2, …, F32 in the IR's shape), such as `snnc import`'s weights file or a
// checkpoint of another run. Only the weights are taken: Adam, epochs and the run start fresh.
// Unlike --resume the spec may differ (another lr, loss or data), as long as the shapes match.

import type { Network } from "../../compiler/ir/types.ts";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { CheckpointError, encodeMeta } from "./checkpoint.ts";
import { encodeSafetensors, readSafetensors, type Tensor } from "./safetensors.ts";

export function loadInitWeights(path: string, network: Network): Map<string, Float32Array> {
  const { tensors } = readSafetensors(path);
  const out = new Map<string, Float32Array>();
  for (const { name, shape } of weightTensors(network)) {
    const t = tensors.get(name);
    if (!t) throw new CheckpointError(`${path} has no tensor ${name}, which ${network.name} needs (it has ${[...tensors.keys()].filter((k) => !k.startsWith("adam_")).join(", ") || "none"})`);
    if (t.dtype !== "F32") throw new CheckpointError(`${path}: tensor ${name} is ${t.dtype}, expected F32`);
    if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k]))
      throw new CheckpointError(`${path}: tensor ${name} has shape [${t.shape.join(", ")}], ${network.name} needs [${shape.join(", ")}]`);
    const data = t.data as Float32Array;
    const bad = data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new CheckpointError(`${path}: ${name}[${bad}] is ${data[bad]}; initial weights must be finite`);
    out.set(name, data);
  }
  return out;
}

/** Weights as the bytes of an epoch-0 snnc checkpoint (zero Adam moments), so `snnc eval` takes it
 *  as it is and `snnc train --init` (or --resume) starts from it. The caller writes them (snnc
 *  import: together with its spec). */
export function weightsCheckpointBytes(network: Network, weights: ReadonlyMap<string, Float32Array>): Uint8Array {
  const tensors = new Map<string, Tensor>();
  const all = weightTensors(network);
  for (const { name, shape } of all) tensors.set(name, { dtype: "F32", shape, data: weights.get(name)! });
  for (const { name, shape, size } of all) {
    tensors.set(`adam_m_${name}`, { dtype: "F32", shape, data: new Float32Array(size) });
    tensors.set(`adam_v_${name}`, { dtype: "F32", shape, data: new Float32Array(size) });
  }
  const t = network.training;
  const meta = encodeMeta({
    specHash: network.specHash,
    specName: network.name,
    epoch: 0,
    samplesDone: 0,
    adamSteps: 0,
    seed: t.seed,
    backend: "none",
    batch: t.batch,
    lr: t.adam.lr,
    epochs: t.epochs,
    limit: null,
    partial: null,
    recipe: null,
    best: null,
    created: new Date().toISOString(),
  });
  return encodeSafetensors(tensors, meta);
}
