// Defaults and lowering of recurrent layers and the spiking readout: what a spec without them
// resolves to is unchanged (so its hash, its generated code and its checkpoints are too); R gets
// U(±1/√N) unless recurrent_init says otherwise; a spiking readout takes its neuron from the
// top level, its own "neuron" and its tau_ms/v_rest, in that order, and spike-count logits.

import { describe, expect, it } from "vitest";
import { checkSpecText } from "../../compiler/spec/index.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { recurrentWeight } from "../../compiler/ir/layers.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { baseSpec, type Json } from "./base-spec.ts";

function resolve(s: Json) {
  const r = checkSpecText(JSON.stringify(s), "x.json");
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("; "));
  return r.spec;
}

describe("recurrence and spiking readout defaults", () => {
  it("a spec without them resolves with no new keys", () => {
    const r = resolve(baseSpec());
    expect(Object.keys(r.layers[0]).sort()).toEqual(["init", "kind", "neuron", "size"]);
    expect(Object.keys(r.layers[1]).sort()).toEqual(["init", "input_scale", "kind", "logits", "size", "tau_ms", "v_rest"]);
    // "recurrent": false is the default written out: the same network, the same hash.
    const off = baseSpec();
    off.layers[0].recurrent = false;
    off.layers[1].spiking = false;
    expect(lowerSpec(resolve(off)).specHash).toBe(lowerSpec(resolve(baseSpec())).specHash);
  });

  it("R is U(±1/√N) by default, whatever the top-level init", () => {
    const s = baseSpec();
    s.init = { distribution: "normal", scale: 3 };
    s.layers[0].recurrent = true;
    const net = lowerSpec(resolve(s));
    const layer = net.layers[0];
    if (layer.kind !== "dense") throw new Error("dense expected");
    expect(recurrentWeight(layer)).toEqual({
      name: "r1",
      role: "recurrent",
      shape: [3, 3],
      size: 9,
      init: { distribution: "uniform", scale: 1, fanIn: 3, bound: 1 / Math.sqrt(3) },
    });
    s.layers[0].recurrent_init = { scale: 0.5 };
    expect(recurrentWeight(lowerSpec(resolve(s)).layers[0] as typeof layer)!.init.bound).toBe(0.5 / Math.sqrt(3));
    // The plan: the stage carries W and R, and Adam updates both.
    const plan = buildPlan(net);
    expect(plan.weights.map((w) => w.name)).toEqual(["w1", "r1", "w2"]);
    expect(plan.launches.adam).toEqual(["adam_w1", "adam_r1", "adam_w2"]);
  });

  it("a spiking readout: its neuron over the top level, its own tau_ms wins, spike-count logits", () => {
    const s = baseSpec();
    s.neuron = { tau_ms: 5, v_th: 2, b_th: 0.3 };
    Object.assign(s.layers[1], { spiking: true, tau_ms: 8, neuron: { tau_ms: 40, v_th: 1.5 }, recurrent: true });
    const r = resolve(s);
    expect(r.layers[1]).toMatchObject({ logits: "spike_count", tau_ms: 8, spiking: true, recurrent: true, neuron: { tau_ms: 8, v_th: 1.5, b_th: 0.3 } });
    const net = lowerSpec(r);
    const ro = net.layers[1];
    if (ro.kind !== "readout") throw new Error("readout expected");
    expect(ro.neuron).toMatchObject({ model: "lif", vTh: 1.5, bTh: 0.3, alpha: Math.exp(-1 / 8) });
    expect(ro.alpha).toBe(Math.exp(-1 / 8));
    // Planned as a LIF stage whose spike counts are the logits.
    const stage = buildPlan(net).stages[1];
    expect(stage.kind).toBe("lif");
    expect(stage.kind === "lif" && [stage.countLogits, stage.recurrent?.name]).toEqual([true, "r2"]);
  });

  it("a spiking readout with the neuron options: CuBa from its own tau_syn_ms only, reset and leak from its neuron, a bias", () => {
    const s = baseSpec();
    s.neuron = { tau_ms: 5, tau_syn_ms: 3 };
    s.layers[0].recurrent = true;
    s.layers[0].bias = true;
    Object.assign(s.layers[1], { spiking: true, recurrent: true, bias: true, neuron: { reset: "to_reset", leak: false } });
    // The top-level tau_syn_ms makes the hidden layer CuBa but not the readout.
    let net = lowerSpec(resolve(s));
    const [l1, l2] = net.layers;
    if (l1.kind !== "dense" || l2.kind !== "readout") throw new Error("dense and readout expected");
    expect(l1.neuron.model).toBe("cuba-lif");
    expect(l1.weights.map((w) => w.name)).toEqual(["w1", "r1", "b1"]);
    expect(l2.neuron).toMatchObject({ model: "lif", reset: "to_reset", leak: false, alpha: 1 });
    expect(l2.alpha).toBe(1);
    expect(l2.synapse).toBeUndefined();
    expect(l2.weights.map((w) => w.name)).toEqual(["w2", "r2", "b2"]);
    // Its own tau_syn_ms makes its neuron current-based (no separate readout synapse).
    (s.layers[1] as Json).tau_syn_ms = 7;
    net = lowerSpec(resolve(s));
    const ro = net.layers[1];
    if (ro.kind !== "readout") throw new Error("readout expected");
    expect(ro.neuron).toMatchObject({ model: "cuba-lif", tauSynMs: 7, alphaSyn: Math.exp(-1 / 7) });
    expect(ro.synapse).toBeUndefined();
    const plan = buildPlan(net);
    expect(plan.launches.adam).toEqual(["adam_w1", "adam_r1", "adam_b1", "adam_w2", "adam_r2", "adam_b2"]);
  });
});
