// The NIR node of a layer's spiking neurons, parameters as full arrays over the layer's shape.
// r = 1/(1 − α) makes the per-step input gain 1, so the weight node holds snnc's weights as they
// are: a LIF; an IF (no leak) with the r whose gain is 1 under the file's --if-gain; a CubaLIF
// (CuBa) with w_in = 1/(1 − α_syn) likewise. NIR has no field for the reset mode: every layer must
// use the file's (written to the graph's metadata), so an import with it gives the layer back.

import type { NeuronIR } from "../../ir/types.ts";
import { ifUnitR, nirTauS, unitGainR, type Conventions } from "../conventions.ts";
import { nirArray, NirError, size, type NirNode } from "../graph.ts";
import { tauOfAlpha } from "../../layers/decay.ts";

export function fill(shape: number[], x: number) {
  return nirArray(new Float64Array(size(shape)).fill(x), shape);
}

/** A layer's per-neuron α and α_syn (float32 tensors), null where the layer has one τ. */
export interface Decays {
  alpha: Float32Array | null;
  alphaSyn: Float32Array | null;
}

/** A per-neuron parameter from each neuron's τ (ms, −Δt/ln α of its α), or the layer's τ everywhere. */
function perTau(shape: number[], tauMs: number, alpha: Float32Array | null, specDtMs: number, f: (tauMs: number) => number) {
  if (!alpha) return fill(shape, f(tauMs));
  return nirArray(Float64Array.from(alpha, (a) => f(tauOfAlpha(a, specDtMs))), shape);
}

export function lifNode(neuron: NeuronIR, shape: number[], specDtMs: number, c: Conventions, where: string, decays: Decays = { alpha: null, alphaSyn: null }): NirNode {
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
  // Per-neuron τ: τ_j = −Δt/ln α_j, and r (w_in) per neuron so each neuron's input gain stays 1.
  const tauArray = (tauMs: number, alpha: Float32Array | null) => perTau(shape, tauMs, alpha, specDtMs, (t) => nirTauS(t, specDtMs, c));
  const unitArray = (tauMs: number, alpha: Float32Array | null) => perTau(shape, tauMs, alpha, specDtMs, (t) => unitGainR(t, specDtMs));
  const membrane = {
    r: unitArray(neuron.tauMs, decays.alpha),
    v_leak: fill(shape, neuron.vRest),
    ...thresholds,
  };
  if (neuron.model === "cuba-lif")
    return {
      type: "CubaLIF",
      params: {
        tau_syn: tauArray(neuron.tauSynMs, decays.alphaSyn),
        tau_mem: tauArray(neuron.tauMs, decays.alpha),
        w_in: unitArray(neuron.tauSynMs, decays.alphaSyn),
        ...membrane,
      },
    };
  return { type: "LIF", params: { tau: tauArray(neuron.tauMs, decays.alpha), ...membrane } };
}
