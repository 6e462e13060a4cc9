// File snapshots of a small network where recurrence meets the neuron options: a recurrent CuBa
// hidden layer with a bias and reset to_reset, and a recurrent spiking readout with its own CuBa
// synapses, bias and reset, its input scaled by 1 − α (bias included), on both backends. Review
// material for how the recurrent partials, the bias sums and the restart hook sit together.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { networkOf } from "../support/build-model.ts";

function spec(): NetworkSpec {
  const s = JSON.parse(readFileSync("models/tiny.json", "utf8")) as NetworkSpec;
  s.name = "tiny-recurrent-neurons";
  s.description = "tiny.json with a recurrent CuBa to_reset layer with a bias and a recurrent spiking CuBa readout with a bias";
  s.layers[1] = { kind: "dense", size: 6, recurrent: true, bias: true, neuron: { tau_syn_ms: 5, reset: "to_reset" } };
  s.layers[2] = {
    kind: "readout",
    size: 3,
    spiking: true,
    recurrent: true,
    bias: true,
    tau_syn_ms: 4,
    input_scale: "one_minus_alpha",
    neuron: { v_th: 0.8, reset: "to_reset" },
  };
  return s;
}

describe.each(["cpu", "cuda"] as const)("tiny-recurrent-neurons on the %s backend: file snapshots", (backend) => {
  const files = emitBackend(buildPlan(networkOf(spec())), backend, "tiny-recurrent-neurons");
  const kernels = backend === "cpu" ? "kernels.cpp" : "kernels.cu";
  it.each([kernels, "network.h"])("%s matches its snapshot", async (path) => {
    await expect(files.find((f) => f.path === path)!.content).toMatchFileSnapshot(`./__snapshots__/tiny-recurrent-neurons-${backend}/${path}`);
  });
});
