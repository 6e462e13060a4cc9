// File snapshots of a small network with a recurrent hidden layer and a recurrent spiking readout
// (its input scaled by 1 − α), on both backends: the recurrent currents, ∇R, the recurrent ∂L/∂S
// and the spike-count logits as emitted, for review.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { networkOf } from "../support/build-model.ts";

function spec(): NetworkSpec {
  const s = JSON.parse(readFileSync("models/tiny.json", "utf8")) as NetworkSpec;
  s.name = "tiny-recurrent";
  s.description = "tiny.json with a recurrent second layer and a recurrent spiking readout";
  s.layers[1] = { kind: "dense", size: 6, recurrent: true };
  s.layers[2] = { kind: "readout", size: 3, spiking: true, recurrent: true, input_scale: "one_minus_alpha", neuron: { v_th: 0.8 } };
  return s;
}

describe.each(["cpu", "cuda"] as const)("tiny-recurrent on the %s backend: file snapshots", (backend) => {
  const files = emitBackend(buildPlan(networkOf(spec())), backend, "tiny-recurrent");
  const kernels = backend === "cpu" ? "kernels.cpp" : "kernels.cu";
  it.each([kernels, "network.h"])("%s matches its snapshot", async (path) => {
    await expect(files.find((f) => f.path === path)!.content).toMatchFileSnapshot(`./__snapshots__/tiny-recurrent-${backend}/${path}`);
  });
});
