// Per-neuron decay tensors (docs/design.md §2.1): a layer whose τ (or τ_syn) is a distribution
// holds α = exp(−Δt/τ) per neuron as a tensor, `a<k>` (role alpha) and `as<k>` (role alpha_syn),
// after its other tensors, so a network without them keeps its tensor order and its init draws.
// The tensor holds α itself (what the kernels use and, with learn, what Adam trains, clamped to
// [alphaMin, alphaMax]); τ = −Δt/ln α is derived for display, checkpoints' readers and NIR.
// A trained ALIF layer ("learn_adapt") holds its adaptation the same way: ρ per neuron as `ra<k>`
// (role rho, a "constant" τ_adapt drawn like a decay and clamped like α) and β_a as `ba<k>` (role
// beta_adapt, starting at the layer's β_a, kept ≥ 0).

import type { ConvLayer, DenseLayer, NeuronIR, WeightTensor } from "../ir/types.ts";
import type { PerNeuronTau } from "../neurons/model.ts";

function decayTensor(name: string, role: "alpha" | "alpha_syn", n: number, p: PerNeuronTau, dtMs: number): WeightTensor {
  return {
    name,
    role,
    shape: [n],
    size: n,
    init: { distribution: "tau", scale: 0, fanIn: 0, bound: 0, tau: { dist: p.init, dtMs, alphaMin: p.alphaMin, alphaMax: p.alphaMax } },
    ...(p.learn ? {} : { trainable: false as const }),
  };
}

/** The decay tensors of the spiking layer at `index` with `n` neurons: none for a layer-wide τ. */
export function lowerDecayTensors(index: number, n: number, neuron: NeuronIR, dtMs: number): WeightTensor[] {
  const out: WeightTensor[] = [];
  if (neuron.tauPerNeuron) out.push(decayTensor(`a${index + 1}`, "alpha", n, neuron.tauPerNeuron, dtMs));
  if (neuron.model === "cuba-lif" && neuron.tauSynPerNeuron) out.push(decayTensor(`as${index + 1}`, "alpha_syn", n, neuron.tauSynPerNeuron, dtMs));
  if (neuron.model === "alif" && neuron.learnAdapt) {
    const { rhoMin, rhoMax } = neuron.learnAdapt;
    out.push({
      name: `ra${index + 1}`,
      role: "rho",
      shape: [n],
      size: n,
      init: { distribution: "tau", scale: 0, fanIn: 0, bound: 0, tau: { dist: { init: "constant", value: neuron.tauAdaptMs }, dtMs, alphaMin: rhoMin, alphaMax: rhoMax } },
    });
    out.push({ name: `ba${index + 1}`, role: "beta_adapt", shape: [n], size: n, init: { distribution: "constant", scale: 0, fanIn: 0, bound: 0, value: neuron.betaAdapt } });
  }
  return out;
}

/** τ in ms of a decay α: −Δt/ln α. */
export function tauOfAlpha(alpha: number, dtMs: number): number {
  return -dtMs / Math.log(alpha);
}

/** The layer holds exactly the decay tensors its neuron asks for, one entry per neuron. */
export function verifyDecayTensors(layer: DenseLayer | ConvLayer, fail: (msg: string) => never): void {
  const want = lowerDecayTensors(layer.index, layer.nOut, layer.neuron, 1).map((t) => t.role);
  const have = layer.weights.filter((w) => w.role === "alpha" || w.role === "alpha_syn" || w.role === "rho" || w.role === "beta_adapt");
  if (have.map((w) => w.role).join() !== want.join()) fail(`per-neuron decay tensors ${have.map((w) => w.name).join(", ") || "none"} do not match the neuron`);
  for (const w of have) if (w.size !== layer.nOut) fail(`${w.name} is not one value per neuron`);
}
