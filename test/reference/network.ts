// Shared helpers of the float64 oracle: picking the layers it supports out of a Network and
// reading the input spikes of a SpikeBatch as plain 0/1 arrays. Nothing here is shared with the
// generated kernels.

import type { DenseLayer, Network, ReadoutLayer } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";

export interface RefLayers {
  hidden: DenseLayer[];
  readout: ReadoutLayer;
}

/** The dense hidden layers and the readout, in order; throws on anything else. */
export function refLayers(net: Network): RefLayers {
  const hidden: DenseLayer[] = [];
  let readout: ReadoutLayer | undefined;
  for (const layer of net.layers) {
    if (layer.kind !== "dense" && layer.kind !== "readout") {
      throw new Error(`reference: layer kind ${layer.kind} not supported`);
    }
    if (readout) throw new Error("reference: the readout must be the last layer");
    if (layer.kind === "dense") hidden.push(layer);
    else readout = layer;
  }
  if (!readout) throw new Error("reference: the network has no readout layer");
  return { hidden, readout };
}

/** Check weights and batch against the network's shapes. */
export function checkShapes(net: Network, weights: Float64Array[], batch: SpikeBatch): RefLayers {
  const layers = refLayers(net);
  const weighted = [...layers.hidden, layers.readout];
  if (weights.length !== weighted.length) {
    throw new Error(`reference: expected ${weighted.length} weight tensors, got ${weights.length}`);
  }
  weighted.forEach((layer, k) => {
    if (weights[k].length !== layer.nIn * layer.nOut) {
      throw new Error(`reference: weights[${k}] has ${weights[k].length} entries, layer ${layer.id} needs ${layer.nIn * layer.nOut}`);
    }
  });
  let nIn = net.input.size;
  for (const layer of weighted) {
    if (layer.nIn !== nIn) throw new Error(`reference: layer ${layer.id} has nIn ${layer.nIn}, previous size is ${nIn}`);
    nIn = layer.nOut;
  }
  if (batch.steps !== net.steps) throw new Error(`reference: batch has ${batch.steps} steps, network ${net.steps}`);
  if (batch.inputs !== net.input.size) throw new Error(`reference: batch has ${batch.inputs} inputs, network ${net.input.size}`);
  return layers;
}

/** Input spikes as a dense 0/1 array, index (b·T + t)·N_in + i. */
export function denseInput(batch: SpikeBatch): Uint8Array {
  const { batch: B, steps: T, inputs: N, offsets, indices } = batch;
  const out = new Uint8Array(B * T * N);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let k = offsets[b * T + t]; k < offsets[b * T + t + 1]; k++) {
        out[(b * T + t) * N + indices[k]] = 1;
      }
    }
  }
  return out;
}

/** Surrogate derivative dS/dV: full g(V) = 1/(β·|V − V_th| + 1)², or g truncated to |V − V_th| < B_th. */
export function surrogate(v: number, vTh: number, beta: number, bTh: number, mode: "full" | "truncated"): number {
  const d = Math.abs(v - vTh);
  if (mode === "truncated" && !(d < bTh)) return 0;
  const s = beta * d + 1;
  return 1 / (s * s);
}
