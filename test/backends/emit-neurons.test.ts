// The emitted sources of one small network that uses every neuron option beyond the paper's LIF
// (docs/design.md §2), as review material: l1 integrate-and-fire with reset to_reset and a bias,
// l2 CuBa with a bias, a CuBa readout with a bias. Networks without these options emit exactly
// what they did before (tiny's snapshots in emit.test.ts are unchanged by them).

import { describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { networkOf } from "../support/build-model.ts";

const SPEC: NetworkSpec = {
  name: "neurons",
  time: { steps: 8, dt_ms: 1 },
  input: { shape: [5], encoding: { kind: "events", bin_ms: 1 } },
  neuron: { b_th: 0.3 },
  layers: [
    { kind: "dense", size: 4, bias: true, neuron: { leak: false, reset: "to_reset" } },
    { kind: "dense", size: 3, bias: true, neuron: { tau_syn_ms: 4 } },
    { kind: "readout", size: 2, bias: true, tau_syn_ms: 3, logits: "sum" },
  ],
  training: { batch: 2, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
};

describe.each(["cpu", "cuda"] as const)("a network with every neuron option on the %s backend", (backend) => {
  const files = emitBackend(buildPlan(networkOf(SPEC)), backend, "neurons.json");
  it.each([backend === "cpu" ? "kernels.cpp" : "kernels.cu", "network.h"])("%s matches its snapshot", async (path) => {
    await expect(files.find((f) => f.path === path)!.content).toMatchFileSnapshot(`./__snapshots__/neurons-${backend}/${path}`);
  });
});

// subtract_same_step is one line of each model's `advance` (templates/shared/neurons/), rendered
// into the header both backends include; everything else (the backward) is subtract's.
describe.each(["cpu", "cuda"] as const)("reset subtract_same_step on the %s backend", (backend) => {
  const spec: NetworkSpec = {
    ...SPEC,
    name: "same-step",
    layers: [
      { kind: "dense", size: 4, neuron: { reset: "subtract_same_step" } },
      { kind: "dense", size: 3, neuron: { reset: "subtract_same_step", tau_syn_ms: 4 } },
      { kind: "readout", size: 2 },
    ],
  };
  const header = emitBackend(buildPlan(networkOf(spec)), backend, "same-step.json").find((f) => f.path === "network.h")!.content;
  it("subtracts V_th − V_r before the leak, in the LIF and the CuBa model", () => {
    expect(header).toContain("s.v = lif_step(s.v - RESET * spiked, current, 0.0f, ALPHA, V_REST, RESET);");
    expect(header).toContain("s.v = lif_step(s.v - RESET * spiked, s.j, 0.0f, ALPHA, V_REST, RESET);");
    expect(header).not.toContain("restart(");
  });
});
