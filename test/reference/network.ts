// Shared helpers of the float64 oracle: picking the layers it supports out of a Network and
// reading the input spikes of a SpikeBatch as plain 0/1 arrays. Nothing here is shared with the
// generated kernels.

import type { ConvLayer, Layer, MaxPoolLayer, Network, ReadoutLayer, SpikingLayer } from "../../compiler/ir/types.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";

export interface RefLayers {
  /** The spiking (LIF) layers, dense and conv, in order. */
  hidden: SpikingLayer[];
  readout: ReadoutLayer;
  /** Every layer in order (dense, conv, maxpool, sumpool, flatten, readout last). */
  all: Layer[];
}

/** The spiking layers (dense, conv), max-pools, sum-pools and flattens, and the readout last; throws on anything else. */
export function refLayers(net: Network): RefLayers {
  const hidden: SpikingLayer[] = [];
  let readout: ReadoutLayer | undefined;
  for (const layer of net.layers) {
    if (readout) throw new Error("reference: the readout must be the last layer");
    if (layer.kind === "dense" || layer.kind === "conv") hidden.push(layer);
    else if (layer.kind === "readout") readout = layer;
    else if (layer.kind !== "maxpool" && layer.kind !== "sumpool" && layer.kind !== "flatten") {
      throw new Error(`reference: layer kind ${(layer as Layer).kind} not supported`);
    }
  }
  if (!readout) throw new Error("reference: the network has no readout layer");
  return { hidden, readout, all: net.layers };
}

/** Check weights and batch against the network's shapes. */
export function checkShapes(net: Network, weights: Float64Array[], batch: SpikeBatch): RefLayers {
  const layers = refLayers(net);
  // One array per trained tensor, in the IR's order (each layer's W, then R if recurrent, then its
  // bias if any); the sizes follow from each tensor's role.
  const tensors = [...layers.hidden, layers.readout].flatMap((layer) =>
    layer.weights.map((t) => ({
      layer,
      size:
        t.role === "recurrent" ? layer.nOut * layer.nOut
        : t.role === "alpha" || t.role === "alpha_syn" || t.role === "rho" || t.role === "beta_adapt" ? layer.nOut
        : t.role === "bias" ? (layer.kind === "conv" ? layer.filters : layer.nOut)
        : layer.kind === "conv" ? t.size : layer.nIn * layer.nOut,
    })),
  );
  if (weights.length !== tensors.length) {
    throw new Error(`reference: expected ${tensors.length} weight tensors, got ${weights.length}`);
  }
  tensors.forEach(({ layer, size }, k) => {
    if (weights[k].length !== size) {
      throw new Error(`reference: weights[${k}] has ${weights[k].length} entries, layer ${layer.id} needs ${size}`);
    }
  });
  let nIn = net.input.size;
  for (const layer of net.layers) {
    if (layer.nIn !== nIn) throw new Error(`reference: layer ${layer.id} has nIn ${layer.nIn}, previous size is ${nIn}`);
    nIn = layer.nOut;
  }
  if (batch.steps !== net.steps) throw new Error(`reference: batch has ${batch.steps} steps, network ${net.steps}`);
  if (batch.inputs !== net.input.size) throw new Error(`reference: batch has ${batch.inputs} inputs, network ${net.input.size}`);
  return layers;
}

/** Whether a layer feeds its own spikes back (a tensor of role "recurrent" after its weights). */
export function hasRecurrent(layer: Layer): boolean {
  return "weights" in layer && layer.weights.some((w) => w.role === "recurrent");
}

/** Whether a layer has a trained bias (a tensor of role "bias" after its weights). */
export function hasBias(layer: Layer): boolean {
  return "weights" in layer && layer.weights.some((w) => w.role === "bias");
}

/** [C, H, W] of a 1-D or 3-D shape ([N] is read as [N, 1, 1]; [H, W] as [1, H, W]). */
export function chw(shape: number[]): [number, number, number] {
  if (shape.length === 3) return [shape[0], shape[1], shape[2]];
  if (shape.length === 2) return [1, shape[0], shape[1]];
  return [shape[0], 1, 1];
}

/**
 * Every (input neuron i, output neuron j, weight index w) connection of a conv layer:
 * output (f, yo, xo) sees input (c, yo·s − p + ky, xo·s − p + kx) through W[f][c][ky][kx]
 * (taps outside the image are zero padding and listed nowhere). Flat indices are CHW.
 */
export function convTaps(layer: ConvLayer): { i: number; j: number; w: number }[] {
  const [C, H, W] = chw(layer.inShape);
  const [F, Ho, Wo] = chw(layer.outShape);
  const { kernel: K, stride: S, padding: P } = layer;
  const out: { i: number; j: number; w: number }[] = [];
  for (let f = 0; f < F; f++)
    for (let yo = 0; yo < Ho; yo++)
      for (let xo = 0; xo < Wo; xo++)
        for (let c = 0; c < C; c++)
          for (let ky = 0; ky < K; ky++)
            for (let kx = 0; kx < K; kx++) {
              const y = yo * S - P + ky;
              const x = xo * S - P + kx;
              if (y < 0 || y >= H || x < 0 || x >= W) continue;
              out.push({ i: (c * H + y) * W + x, j: (f * Ho + yo) * Wo + xo, w: ((f * C + c) * K + ky) * K + kx });
            }
  return out;
}

/**
 * The input neuron of a max-pool window that receives the window's gradient at one (b, t):
 * the first (row-major ky, then kx) that spikes, else the window's first element. This is
 * PyTorch's max-pool backward (the gradient goes to the first index attaining the max).
 * `row` holds the pool's input spikes of that (b, t).
 */
export function poolWinner(layer: MaxPoolLayer, row: ArrayLike<number>, p: number): number {
  const [, H, W] = chw(layer.inShape);
  const [, Ho, Wo] = chw(layer.outShape);
  const k = layer.size;
  const c = Math.floor(p / (Ho * Wo));
  const yo = Math.floor(p / Wo) % Ho;
  const xo = p % Wo;
  const first = (c * H + yo * k) * W + xo * k;
  for (let ky = 0; ky < k; ky++)
    for (let kx = 0; kx < k; kx++) {
      const i = (c * H + yo * k + ky) * W + xo * k + kx;
      if (row[i]) return i;
    }
  return first;
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

/** A layer's per-neuron decays (tensors of role alpha, alpha_syn, or a trained ALIF's rho,
 * beta_adapt, after its others), or nulls. */
export function decaySlots(layer: Layer): { alpha: number | null; alphaSyn: number | null; rho: number | null; betaAdapt: number | null } {
  if (!("weights" in layer)) return { alpha: null, alphaSyn: null, rho: null, betaAdapt: null };
  const at = (role: string) => {
    const k = layer.weights.findIndex((w) => w.role === role);
    return k < 0 ? null : k;
  };
  return { alpha: at("alpha"), alphaSyn: at("alpha_syn"), rho: at("rho"), betaAdapt: at("beta_adapt") };
}
