// `snnc inspect` and `snnc validate` name recurrent layers and spiking readouts: the layer labels,
// R beside W with its own init row, the readout's spike-count logits, and the kernels that update R.

import { describe, expect, it } from "vitest";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { networkSummary } from "../../runtime/cli/describe.ts";
import { inspectText } from "../../runtime/cli/inspect-report.ts";
import { networkOf } from "../support/build-model.ts";
import { randomSpec } from "../support/random-spec.ts";

describe("inspect of recurrent networks", () => {
  it("shd-recurrent: R beside W, its init, its Adam kernel, the recurrent backward", () => {
    const net = networkOf("models/shd-recurrent.json");
    const text = inspectText({ network: net, source: "models/shd-recurrent.json", plan: buildPlan(net) });
    expect(networkSummary(net)).toBe("shd-recurrent: 700 → 128 recurrent → 20, T=500");
    expect(text).toMatch(/l1 +dense LIF, recurrent +\[700\] +→ +\[128\] +w1 \[700, 128\], r1 \[128, 128\] +105,984/);
    expect(text).toMatch(/r1 +l1 +uniform +0\.3 +128 +0\.3\/√128 +0\.0265165043 +U\(−b, \+b\)/);
    // The recurrent layer is current-based (CuBa): its neuron row names the model and τ_syn.
    expect(text).toMatch(/l1 +cuba-lif +20 .* 10 \(α_syn 0\.818730753\)/);
    expect(text).toContain("adam_r1");
    expect(text).toContain("sparse backward of l1: δ recurrence, ∇W, ∇r1 and the recurrent ∂L/∂S of l1, ∇S of the layer below");
  });

  it("a recurrent spiking readout: its label, its neuron row and its logits", () => {
    const net = networkOf(randomSpec(10, { spikingReadout: "recurrent" }));
    const ro = net.layers[net.layers.length - 1];
    const text = inspectText({ network: net, source: "x.json", plan: buildPlan(net) });
    expect(networkSummary(net)).toContain(`→ ${ro.nOut} spiking recurrent, T=`);
    expect(text).toMatch(new RegExp(`${ro.id} +spiking readout \\(spike_count\\), recurrent`));
    expect(text).toMatch(new RegExp(`\\n  ${ro.id} +lif +`));
    expect(text).toContain("a_c = Σ_t S_c[t] (spikes; neuron above)");
    expect(text).toContain(`spiking readout LIF forward of ${ro.id}`);
  });

  it("a recurrent spiking readout with CuBa, a bias and to_reset: its neuron row and readout row say so", () => {
    const net = networkOf(randomSpec(36, { recurrent: "last", spikingReadout: "recurrent", readoutCuba: true, readoutBias: true, readoutToReset: true }));
    const ro = net.layers[net.layers.length - 1];
    if (ro.kind !== "readout" || ro.neuron?.model !== "cuba-lif") throw new Error("expected a CuBa spiking readout");
    const text = inspectText({ network: net, source: "x.json", plan: buildPlan(net) });
    const tauSyn = `(α_syn ${Number(ro.neuron.alphaSyn.toPrecision(9))})`;
    expect(text).toMatch(new RegExp(`${ro.id} +spiking readout \\(spike_count\\), recurrent .* w${ro.index + 1} \\[\\d+, \\d+\\], r${ro.index + 1} \\[\\d+, \\d+\\], b${ro.index + 1} \\[\\d+\\]`));
    const rows = text.split("\n").filter((l) => l.startsWith(`  ${ro.id} `));
    // The neuron row (cuba-lif, to V_r, the bias) and the readout row (τ_syn, the bias).
    expect(rows.some((l) => /cuba-lif/.test(l) && l.includes("to V_r") && l.includes(tauSyn) && l.includes(`b${ro.index + 1} [${ro.nOut}], init 0`))).toBe(true);
    expect(rows.some((l) => l.includes("a_c = Σ_t S_c[t]") && l.includes(tauSyn) && l.includes(`b${ro.index + 1} [${ro.nOut}], init 0`))).toBe(true);
  });

  it("a bias alone does not make a layer recurrent in the summary or the labels", () => {
    const net = networkOf(randomSpec(3, { bias: true, readoutBias: true }));
    expect(networkSummary(net)).not.toContain("recurrent");
    expect(inspectText({ network: net, source: "x.json", plan: buildPlan(net) })).not.toMatch(/LIF, recurrent|\), recurrent/);
  });
});
