// Every neuron model. A spiking layer's model is the first whose `matches` accepts its resolved
// spec neuron; adding a model means adding its module here and to NeuronIR.

import type { NeuronParams } from "../spec/types.ts";
import { alif, type AlifNeuron } from "./alif.ts";
import { cubaLif, type CubaLifNeuron } from "./cuba-lif.ts";
import { lif, type LifNeuron } from "./lif.ts";
import type { NeuronModel } from "./model.ts";

export type { NeuronConstant, MembraneParams, SpecNeuronFinding } from "./model.ts";

/** A spiking layer's resolved neuron, one member per model. */
export type NeuronIR = LifNeuron | CubaLifNeuron | AlifNeuron;

// First match wins: LIF accepts every neuron, so it comes last.
const MODELS = [alif, cubaLif, lif] as unknown as NeuronModel<NeuronIR>[];

/** Every model, for the checks that ask each one (compiler/spec/check-neurons.ts). */
export function neuronModels(): readonly NeuronModel<NeuronIR>[] {
  return MODELS;
}

export function neuronModel(model: NeuronIR["model"]): NeuronModel<NeuronIR> {
  const m = MODELS.find((x) => x.model === model);
  if (!m) throw new Error(`internal error: no neuron model ${model}`);
  return m;
}

/** Lowers a layer's resolved spec neuron with the model it asks for. */
export function lowerNeuron(spec: NeuronParams, dtMs: number): NeuronIR {
  return MODELS.find((m) => m.matches(spec))!.lower(spec, dtMs);
}
