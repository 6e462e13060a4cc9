// The CPU sparse backward of a dense layer with a large ∇W (≥ 256 KiB, build-context.ts) keeps ∂L/∂I
// of each step with input and adds it to ∇W input row by input row (add_input_rows) when its rows
// (ROWS_BLOCK_FLOATS a thread) are full and after the thread's last sample, instead of at each spike
// during the walk. The random specs of the other numerics tests are too small to take that path;
// here two 256×256 layers take it (on input events and on the first's spikes) against the float64
// reference, and a build whose rows hold 2 steps (so they are added every other step with input,
// in the middle of each sample's walk) gives the same gradients bit for bit.

import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { weightTensors } from "../../compiler/ir/layers.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { compileAndBuild, generatedDir } from "../../compiler/pipeline.ts";
import { hostCpuFlags } from "../../compiler/build/host-cpu-flags.ts";
import { loadAddon, type NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { randomSpikeBatch } from "../../runtime/bench/synthetic-batch.ts";
import { buildModel } from "../support/build-model.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

const T = 16;
const N = 256;
const SEED = 11;
const DENSITY = 0.4;

const spec = {
  name: "input-rows",
  time: { steps: T, dt_ms: 1 },
  input: { shape: [N], encoding: { kind: "events", bin_ms: 1 }, dataset: "synthetic" },
  neuron: { b_th: 0.3 },
  init: { distribution: "uniform", scale: 1 },
  layers: [{ kind: "dense", size: N }, { kind: "dense", size: N }, { kind: "readout", size: 3, logits: "sum" }],
  loss: { activity_low: { lambda: 1, nu: 0.5 }, activity_up: { lambda: 0.5, nu: 2 } },
  training: { batch: 2, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
} as NetworkSpec;

/** The gradients of one forward and sparse backward of a fixed batch, as bytes. */
function gradients(net: Network, addon: NativeAddon, weights: Map<string, Float32Array> | null): { grads: Buffer[]; weights: Map<string, Float32Array> } {
  const batch = randomSpikeBatch(3, T, N, net.classes, DENSITY, 5);
  const model = new SnnModel(net, addon, { batch: batch.batch, backward: "sparse", seed: 3, activeCapacity: 0.2 });
  try {
    if (weights) for (const [name, w] of weights) model.setWeights(name, w);
    model.forward(batch);
    model.backwardPass();
    const names = weightTensors(net).map((w) => w.name);
    return {
      grads: names.map((name) => Buffer.from(model.getGradients(name).buffer.slice(0))),
      weights: new Map(names.map((name) => [name, model.getWeights(name)])),
    };
  } finally {
    model.dispose();
  }
}

describe("CPU sparse backward adding ∇W input row by input row", () => {
  it("two 256×256 layers (input events, then spikes) match the float64 reference", async () => {
    const { net, addon, addonPath } = await buildModel(spec);
    const kernels = readFileSync(join(addonPath, "..", "..", "..", "kernels.cpp"), "utf8");
    for (const id of ["l1", "l2"]) {
      const start = kernels.indexOf(`void backward_sparse_${id}(`);
      expect(kernels.slice(start, kernels.indexOf("\n}\n", start)), id).toContain("if (row_slots == ROW_SLOTS) add_kept_rows();");
    }
    const r = checkNumerics(net, addon, SEED, DENSITY);
    expectMatchesReference(r);
    expect(r.activeFractions.every((f) => f > 0), "every layer has active neuron-times").toBe(true);
  });

  it("rows added every other step with input give the same gradients bit for bit", async () => {
    const { net, addon } = await buildModel(spec);
    // Rows of 2 steps: 2·N floats. Its own folder, beside the default build's.
    const small = await compileAndBuild(net, "cpu", "random spec input-rows", {
      outDir: `${generatedDir(net, "cpu")}-rows2`,
      cpuFlags: `${hostCpuFlags()} -DSNNC_ROWS_BLOCK_FLOATS=${2 * N}`,
    });
    const base = gradients(net, addon, null);
    const other = gradients(net, loadAddon(small.addonPath), base.weights);
    expect(base.grads.some((g) => g.some((x) => x !== 0)), "some gradient is nonzero").toBe(true);
    base.grads.forEach((g, k) => expect(other.grads[k].equals(g), weightTensors(net)[k].name).toBe(true));
  });
});
