// resolveSpec fills every documented default, and more specific settings win.

import { describe, expect, it } from "vitest";
import { resolveSpec, type NetworkSpec } from "../../compiler/spec/index.ts";
import { baseSpec } from "./base-spec.ts";

describe("resolveSpec", () => {
  it("fills the documented defaults", () => {
    const s = resolveSpec(baseSpec() as NetworkSpec);
    const neuron = { tau_ms: 10, v_th: 1, v_reset: 0, v_rest: 0, b_th: 0.2, surrogate_beta: 100 };
    const init = { distribution: "uniform", scale: 1 };
    expect(s).toEqual({
      name: "base",
      description: "",
      time: { steps: 10, dt_ms: 1 },
      input: { shape: [4], encoding: { kind: "events", bin_ms: 1 }, dataset: "synthetic" },
      layers: [
        { kind: "dense", size: 3, neuron, init },
        { kind: "readout", size: 2, logits: "max", input_scale: "one", tau_ms: 10, v_rest: 0, init },
      ],
      loss: { activity_low: { lambda: 0, nu: 0 }, activity_up: { lambda: 0, nu: 0 } },
      training: {
        batch: 2,
        epochs: 1,
        optimizer: { kind: "adam", lr: 0.01, betas: [0.9, 0.999], eps: 1e-8 },
        backward: "sparse",
        seed: 0,
        active_capacity: 0.05,
      },
    });
  });

  it("merges per-layer neuron and init over the top level, field by field", () => {
    const raw = baseSpec();
    raw.neuron = { tau_ms: 20, v_th: 2 };
    raw.init = { distribution: "normal", scale: 3 };
    raw.layers = [
      { kind: "dense", size: 3, neuron: { tau_ms: 5, b_th: 0.1 }, init: { scale: 0.5 } },
      { kind: "conv", filters: 2, kernel: 1 },
      { kind: "readout", size: 2, init: { distribution: "uniform" } },
    ];
    const s = resolveSpec(raw as NetworkSpec);
    expect(s.layers[0]).toEqual({
      kind: "dense",
      size: 3,
      neuron: { tau_ms: 5, v_th: 2, v_reset: 0, v_rest: 0, b_th: 0.1, surrogate_beta: 100 },
      init: { distribution: "normal", scale: 0.5 },
    });
    expect(s.layers[1]).toEqual({
      kind: "conv",
      filters: 2,
      kernel: 1,
      stride: 1,
      padding: 0,
      neuron: { tau_ms: 20, v_th: 2, v_reset: 0, v_rest: 0, b_th: 0.2, surrogate_beta: 100 },
      init: { distribution: "normal", scale: 3 },
    });
    // The readout follows the top-level τ, not a hidden layer's override.
    expect(s.layers[2]).toMatchObject({ tau_ms: 20, v_rest: 0, init: { distribution: "uniform", scale: 3 } });
  });

  it("takes the readout's v_rest from the top-level neuron unless it has its own", () => {
    const raw = baseSpec();
    raw.neuron = { v_rest: -0.5 };
    expect(resolveSpec(raw as NetworkSpec).layers[1]).toMatchObject({ v_rest: -0.5, tau_ms: 10 });
    raw.layers[1] = { kind: "readout", size: 2, v_rest: 0.25, tau_ms: 30, logits: "sum", input_scale: "one_minus_alpha" };
    expect(resolveSpec(raw as NetworkSpec).layers[1]).toMatchObject({
      v_rest: 0.25,
      tau_ms: 30,
      logits: "sum",
      input_scale: "one_minus_alpha",
    });
  });

  it("keeps given optional values and copies rather than aliases arrays", () => {
    const raw = baseSpec();
    raw.description = "d";
    raw.input.dataset = "shd";
    raw.loss = { activity_up: { lambda: 1, nu: 2 } };
    raw.training = {
      ...raw.training,
      optimizer: { kind: "adam", lr: 1, betas: [0.5, 0.6], eps: 1e-6 },
      backward: "dense",
      seed: 7,
      active_capacity: 0.5,
    };
    const s = resolveSpec(raw as NetworkSpec);
    expect(s.description).toBe("d");
    expect(s.input.dataset).toBe("shd");
    expect(s.loss).toEqual({ activity_low: { lambda: 0, nu: 0 }, activity_up: { lambda: 1, nu: 2 } });
    expect(s.training).toMatchObject({ optimizer: { betas: [0.5, 0.6], eps: 1e-6 }, backward: "dense", seed: 7, active_capacity: 0.5 });
    s.input.shape.push(9);
    s.training.optimizer.betas[0] = 0;
    expect(raw.input.shape).toEqual([4]);
    expect(raw.training.optimizer.betas).toEqual([0.5, 0.6]);
  });

  it("ignores explicitly undefined overrides", () => {
    const raw = baseSpec();
    raw.layers[0].neuron = { tau_ms: undefined };
    expect(resolveSpec(raw as NetworkSpec).layers[0]).toMatchObject({ neuron: { tau_ms: 10 } });
  });
});
