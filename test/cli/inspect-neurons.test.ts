// `snnc inspect` shows the neuron options beyond the paper's LIF: no leak (τ ∞, α 1), the reset
// mode, CuBa synapses (τ_syn, α_syn) on hidden layers and the readout, and each bias tensor with
// its zero init; an ALIF layer's threshold adaptation (τ_adapt, ρ, β_a).

import { describe, expect, it } from "vitest";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { inspectText } from "../../runtime/cli/inspect-report.ts";
import { networkOf } from "../support/build-model.ts";
import { baseSpec } from "../spec/base-spec.ts";

describe("snnc inspect with bias, IF, reset modes and CuBa", () => {
  it("prints each option in the neuron, readout and init tables", () => {
    const spec = baseSpec();
    spec.layers = [
      { kind: "dense", size: 3, bias: true, neuron: { leak: false, reset: "to_reset" } },
      { kind: "dense", size: 2, neuron: { tau_syn_ms: 5 } },
      { kind: "readout", size: 2, bias: true, tau_syn_ms: 2 },
    ];
    const net = networkOf(spec);
    const rows = inspectText({ network: net, source: "x.json", plan: buildPlan(net) }).split("\n");
    const row = (start: string) => rows.find((r) => r.trimStart().startsWith(`${start} `))!;
    const l1 = rows.find((r) => /^\s+l1\s+lif\s/.test(r))!;
    const l2 = rows.find((r) => /^\s+l2\s+cuba-lif\s/.test(r))!;
    expect(l1).toMatch(/∞ \(no leak\)\s+1\s+1\s+0\s+0\s+to V_r\s+0\.2\s+100\s+–\s+b1 \[3\], init 0/);
    expect(l2).toMatch(/10\s+0\.904837418\s+1\s+0\s+0\s+− 1\s+0\.2\s+100\s+5 \(α_syn 0\.818730753\)\s+–/);
    expect(rows.find((r) => /^\s+l3\s+2\s+10\s/.test(r))).toMatch(/2 \(α_syn 0\.60653066\)\s+b3 \[2\], init 0/);
    expect(row("b1")).toMatch(/b1\s+l1\s+zeros\s.*0 \(a bias starts at 0\)/);
  });

  it("gives an ALIF layer's threshold adaptation a column, only in a network that has one", () => {
    const spec = baseSpec();
    spec.layers = [
      { kind: "dense", size: 3, neuron: { tau_adapt_ms: 100, beta_adapt: 0.5 } },
      { kind: "dense", size: 2 },
      { kind: "readout", size: 2 },
    ];
    const net = networkOf(spec);
    const rows = inspectText({ network: net, source: "x.json", plan: buildPlan(net) }).split("\n");
    expect(rows.find((r) => /^\s+l1\s+alif\s/.test(r))).toMatch(/τ_adapt 100 ms \(ρ 0\.990049834\), β_a 0\.5\s+–$/);
    expect(rows.find((r) => /^\s+l2\s+lif\s/.test(r))).toMatch(/–\s+–\s+–$/);
    const plain = networkOf(baseSpec());
    expect(inspectText({ network: plain, source: "x.json", plan: buildPlan(plain) })).not.toContain("threshold adaptation");
  });

  it("says an ALIF layer's adaptation is trained per neuron, with its tensors, their init and the τ_adapt they start at", () => {
    const spec = baseSpec();
    spec.layers = [
      { kind: "dense", size: 3, neuron: { tau_adapt_ms: 100, beta_adapt: 0.5, learn_adapt: true } },
      { kind: "readout", size: 2 },
    ];
    const net = networkOf(spec);
    const rows = inspectText({ network: net, source: "x.json", plan: buildPlan(net) }).split("\n");
    expect(rows.find((r) => /^\s+l1\s+alif\s/.test(r))).toMatch(/τ_adapt 100 ms \(ρ 0\.990049834\), β_a 0\.5, trained per neuron \(ra1, ba1\)\s+–$/);
    expect(rows.find((r) => /^\s+ra1\s+l1\s+tau\s/.test(r))).toMatch(/ρ = exp\(−Δt\/τ_adapt\), τ_adapt 100 ms, trained, in \[ρ\(Δt\), ρ\(1000·Δt\)\]$/);
    expect(rows.find((r) => /^\s+ba1\s+l1\s+constant\s/.test(r))).toMatch(/0\.5\s+β_a = 0\.5 per neuron, trained, ≥ 0$/);
    expect(rows.find((r) => /^\s+ra1\s+l1\s+τ_adapt\s/.test(r))).toMatch(/100\s+100\s+100\s+trained$/);
  });
});
