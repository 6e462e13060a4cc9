// The NIR node of a layer's spiking neurons, parameters as full arrays over the layer's shape.
// r = 1/(1 − α) makes the per-step input gain 1, so the weight node holds snnc's weights as they
// are: a LIF; an IF (no leak) with the r whose gain is 1 under the file's --if-gain; a CubaLIF
// (CuBa) with w_in = 1/(1 − α_syn) likewise. NIR has no field for the reset mode: every layer must
// use the file's (written to the graph's metadata), so an import with it gives the layer back.

import type { NeuronIR } from "../../ir/types.ts";
import { ifUnitR, nirTauS, unitGainR, type Conventions } from "../conventions.ts";
import { nirArray, NirError, size, type NirNode } from "../graph.ts";

export function fill(shape: number[], x: number) {
  return nirArray(new Float64Array(size(shape)).fill(x), shape);
}

export function lifNode(neuron: NeuronIR, shape: number[], specDtMs: number, c: Conventions, where: string): NirNode {
  // A model other than these has no NIR primitive (NIR's neurons are LIF, IF, CubaLIF, LI, CubaLI).
  const model: string = neuron.model;
  if (model !== "lif" && model !== "cuba-lif")
    throw new NirError(`${where} uses the "${model}" neuron model, which NIR has no primitive for; NIR can carry LIF, IF and CubaLIF layers only`);
  if (neuron.reset !== c.reset)
    throw new NirError(
      `${where} resets "${neuron.reset}" but the file is written for --reset ${c.reset}; NIR has one reset convention per file, so every spiking layer must use the same`,
    );
  const thresholds = { v_threshold: fill(shape, neuron.vTh), v_reset: fill(shape, neuron.vReset) };
  if (neuron.tauMs === null) {
    if (neuron.model === "cuba-lif") throw new NirError(`${where}: a CuBa layer without leak has no NIR node (CubaLIF needs a finite tau_mem)`);
    return { type: "IF", params: { r: fill(shape, ifUnitR(c)), ...thresholds } };
  }
  const membrane = {
    r: fill(shape, unitGainR(neuron.tauMs, specDtMs)),
    v_leak: fill(shape, neuron.vRest),
    ...thresholds,
  };
  if (neuron.model === "cuba-lif")
    return {
      type: "CubaLIF",
      params: {
        tau_syn: fill(shape, nirTauS(neuron.tauSynMs, specDtMs, c)),
        tau_mem: fill(shape, nirTauS(neuron.tauMs, specDtMs, c)),
        w_in: fill(shape, unitGainR(neuron.tauSynMs, specDtMs)),
        ...membrane,
      },
    };
  return { type: "LIF", params: { tau: fill(shape, nirTauS(neuron.tauMs, specDtMs, c)), ...membrane } };
}
