// Questions every later stage asks of IR layers, answered once: which layers spike, which carry
// weights, and the spatial view of a shape.

import type { ConvLayer, DenseLayer, Layer, Network, SpikingLayer, WeightedLayer, WeightTensor } from "./types.ts";

export { shapeSize } from "../spec/shapes.ts";

/** A layer of spiking neurons: a hidden layer (dense or conv LIF) or a spiking readout. */
export function isSpiking(layer: Layer): layer is SpikingLayer {
  return layer.kind === "dense" || layer.kind === "conv" || (layer.kind === "readout" && layer.neuron !== undefined);
}

/** A hidden layer: spiking and not the readout, so it carries the activity penalties. */
export function isHidden(layer: Layer): layer is DenseLayer | ConvLayer {
  return layer.kind === "dense" || layer.kind === "conv";
}

export function spikingLayers(net: Network): SpikingLayer[] {
  return net.layers.filter(isSpiking);
}

export function isWeighted(layer: Layer): layer is WeightedLayer {
  return "weights" in layer;
}

export function weightedLayers(net: Network): WeightedLayer[] {
  return net.layers.filter(isWeighted);
}

/** Every trained tensor of the network, in layer order (and within a layer, in its own order). */
export function weightTensors(net: Network): WeightTensor[] {
  return weightedLayers(net).flatMap((l) => l.weights);
}

/** A layer's bias tensor, when it has one. */
export function biasOf(layer: WeightedLayer): WeightTensor | undefined {
  return layer.weights.find((w) => w.role === "bias");
}

/** The tensor that carries a layer's input to its neurons. */
export function feedforward(layer: WeightedLayer): WeightTensor {
  return layer.weights.find((w) => w.role === "feedforward")!;
}

/** The tensor that feeds a layer's own spikes back to it, if the layer is recurrent. */
export function recurrentWeight(layer: WeightedLayer): WeightTensor | undefined {
  return layer.weights.find((w) => w.role === "recurrent");
}

/** [C, H, W] of a canonical spatial shape (the IR's shapes are canonical: [H, W] was made [1, H, W]). */
export function chw(shape: readonly number[]): [number, number, number] {
  if (shape.length !== 3) throw new Error(`internal error: ${JSON.stringify(shape)} is not a [C, H, W] shape`);
  return [shape[0], shape[1], shape[2]];
}
