// How far a forward pass is from a decision that float32 rounding could flip. Kernels compute in
// float32; a neuron-time whose V is within ~1e-4 of V_th (spike or not) or of V_th ± B_th (active or
// not), or a readout whose max over t is nearly tied, can legitimately differ from this oracle.

import type { Network, NeuronIR } from "../../compiler/ir/types.ts";
import type { RefForward } from "./forward.ts";
import { refLayers } from "./network.ts";

export interface RefMargins {
  /** min over hidden neuron-times with t ≥ 1 of |V − V_th| (Infinity without hidden layers). */
  threshold: number;
  /** min over the same of ||V − V_th| − B_th|. */
  band: number;
  /**
   * max logits only: min over (b, c) of V_c[t*] − max_{t ≠ t*} V_c[t], the lead of the chosen
   * time over the runner-up (0 on an exact tie). Infinity for sum logits or T = 1.
   */
  argmaxGap: number;
}

export function referenceMargins(net: Network, fwd: RefForward): RefMargins {
  const { hidden, readout } = refLayers(net);
  const T = net.steps;
  let threshold = Infinity;
  let band = Infinity;
  // A spiking readout's membranes decide spikes too (its trace is the last of fwd.hidden).
  const spiking: { nOut: number; neuron: NeuronIR }[] = readout.neuron ? [...hidden, { nOut: readout.nOut, neuron: readout.neuron }] : hidden;
  spiking.forEach((layer, k) => {
    const N = layer.nOut;
    const { V } = fwd.hidden[k];
    const B = V.length / (T * N);
    for (let b = 0; b < B; b++) {
      for (let t = 1; t < T; t++) {
        for (let j = 0; j < N; j++) {
          const d = Math.abs(V[(b * T + t) * N + j] - layer.neuron.vTh);
          threshold = Math.min(threshold, d);
          band = Math.min(band, Math.abs(d - layer.neuron.bTh));
        }
      }
    }
  });

  let argmaxGap = Infinity;
  if (readout.logits === "max") {
    const C = readout.nOut;
    const B = fwd.logits.length / C;
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < C; c++) {
        const tStar = fwd.argmax[b * C + c];
        const best = fwd.readoutV[(b * T + tStar) * C + c];
        for (let t = 0; t < T; t++) {
          if (t !== tStar) argmaxGap = Math.min(argmaxGap, best - fwd.readoutV[(b * T + t) * C + c]);
        }
      }
    }
  }
  return { threshold, band, argmaxGap };
}
