// The CPU forward lets a word of neurons that stays below the active band without input wait, and
// replays its owed updates when input comes (templates/cpu/kernels/forward-lif.hbs, the
// stays_quiet() hook). That must change nothing: a forward that records V never waits, so the
// same batch with and without the trace must give bit-identical spikes, logits, loss and
// gradients. (The reference comparisons record V, so they cannot see this path.) The specs are
// ones other numerics tests build too, so no extra kernels are compiled.

import { describe, expect, it } from "vitest";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { spikingLayers } from "../../compiler/ir/layers.ts";
import type { Network } from "../../compiler/ir/types.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { randomSpikeBatch } from "../../runtime/bench/synthetic-batch.ts";
import { buildModel } from "../support/build-model.ts";
import { GPU_CHECK_CONV_SPECS } from "../support/conv-cases.ts";
import { NEURON_SPECS } from "../support/neuron-specs.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";

/** Biases start at 0, which would hide a bias the replay forgot: give them small random values. */
function biases(net: Network): Map<string, Float32Array> {
  let x = 12345;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  return new Map(weightTensors(net).filter((w) => w.role === "bias").map((w) => [w.name, Float32Array.from({ length: w.size }, next)]));
}

function run(net: Network, addon: NativeAddon, recordV: boolean, density: number) {
  const batch = randomSpikeBatch(4, net.steps, net.input.size, net.classes, density, 7);
  const model = new SnnModel(net, addon, { batch: batch.batch, backward: "sparse", recordV, activeCapacity: 0.05 });
  try {
    for (const [name, b] of biases(net)) model.setWeights(name, b);
    const stats = model.forward(batch);
    model.backwardPass();
    return {
      loss: stats.loss,
      spikes: spikingLayers(net).map((l) => bytes(model.spikes(l.id))),
      logits: bytes(model.logits()),
      grads: weightTensors(net).map((w) => bytes(model.getGradients(w.name))),
      spikeCount: stats.layers.reduce((a, l) => a + l.spikeRate, 0),
    };
  } finally {
    model.dispose();
  }
}

/** A copy of a typed array's bytes: bit-identical is the claim, and comparing bytes keeps the
 *  shipped conv model's ~20 M spikes cheap (as JS arrays their deep comparison took ~20 s). */
function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Words wait only with V_rest = 0 (stays_quiet()), which random specs rarely draw: set it. */
function restAtZero(spec: NetworkSpec): NetworkSpec {
  const out = structuredClone(spec);
  out.name = `${out.name}-rest0`;
  if (out.neuron) out.neuron.v_rest = 0;
  for (const l of out.layers) if ((l.kind === "dense" || l.kind === "conv") && l.neuron?.v_rest !== undefined) l.neuron.v_rest = 0;
  return out;
}

const conv = (k: number) => GPU_CHECK_CONV_SPECS[k][1];
const neuronCase = (name: string) => NEURON_SPECS.find((c) => c.name === name)!.spec;
const CASES: [string, () => Parameters<typeof buildModel>[0], number][] = [
  ["conv → max-pool (random-conv-1)", () => restAtZero(conv(0)()), 0.05],
  ["conv → pool → conv (random-conv-10)", () => restAtZero(conv(9)()), 0.2],
  // A biased word never waits (its update has a current without input); these check that nothing
  // else of the layer or the network changes with biases (random, not the zero init) around.
  ["conv, CuBa + to_reset + bias, readout bias", () => restAtZero(neuronCase("conv, CuBa + to_reset + bias, readout bias")()), 0.2],
  ["conv → pool → conv, IF, to_reset, subtract_same_step, CuBa, bias", () => restAtZero(neuronCase("conv → pool → conv, everything")()), 0.2],
  ["fmnist-conv (the shipped model)", () => "models/fmnist-conv.json", 0.02],
  ["fmnist-deep (dense, quiet steps between inputs)", () => "models/fmnist-deep.json", 0.01],
];

describe("CPU forward: waiting quiet words changes nothing", () => {
  for (const [name, make, density] of CASES)
    it(name, async () => {
      const { net, addon } = await buildModel(make());
      const waits = run(net, addon, false, density);
      const never = run(net, addon, true, density);
      expect(never.spikeCount).toBeGreaterThan(0);
      const same = (a: Buffer[], b: Buffer[]) => a.length === b.length && a.every((x, i) => x.equals(b[i]));
      expect(same(waits.spikes, never.spikes), "spikes bit-identical").toBe(true);
      expect(waits.logits.equals(never.logits), "logits bit-identical").toBe(true);
      expect(waits.loss).toBe(never.loss);
      expect(same(waits.grads, never.grads), "gradients bit-identical").toBe(true);
    });
});
