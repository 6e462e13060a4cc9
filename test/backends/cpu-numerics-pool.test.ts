// The CPU backend against the float64 reference on conv networks with sum-pools: conv → sum-pool →
// flatten → readout, then a second conv after the pool (stride 1–2, padding 0–1), a dense layer
// after the flatten, a sum-pool on the input events, two sum-pools in a row, a max-pool then a
// sum-pool, and the N-MNIST CNN's conv → sum-pool → conv → sum-pool → dense shape; inputs with
// 2–3 channels. Each spec builds its own addon, so the list stays short.

import { describe, expect, it } from "vitest";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { assertBackendSupports } from "../../compiler/backends/emit.ts";
import { buildModel, networkOf } from "../support/build-model.ts";
import { randomConvSpec } from "../support/random-spec.ts";
import { SUMPOOL_GATHER_SPECS, SUMPOOL_SPECS } from "../support/sumpool-cases.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

describe("CPU backend matches the float64 reference on conv networks with sum-pools", () => {
  for (const [name, seed, opts] of [...SUMPOOL_SPECS, ...SUMPOOL_GATHER_SPECS]) {
    it(name, async () => {
      const { net, addon } = await buildModel(randomConvSpec(seed, opts));
      expect(net.layers.some((l) => l.kind === "sumpool")).toBe(true);
      expect(net.input.shape[0]).toBeGreaterThan(1);
      const r = checkNumerics(net, addon, seed);
      expectMatchesReference(r);
      expect(r.activeFraction).toBeGreaterThan(0);
    });
  }

  it("the spec list covers what it says: strides 1–2, paddings 0–1, conv after a sum-pool, dense after the flatten", () => {
    const nets = SUMPOOL_SPECS.map(([, seed, opts]) => networkOf(randomConvSpec(seed, opts)));
    const convs = nets.flatMap((n) => n.layers.flatMap((l) => (l.kind === "conv" ? [l] : [])));
    expect(new Set(convs.map((c) => c.stride))).toEqual(new Set([1, 2]));
    expect(new Set(convs.map((c) => c.padding))).toEqual(new Set([0, 1]));
    const after = (n: (typeof nets)[number], a: string, b: string) => n.layers.some((l, k) => l.kind === a && n.layers[k + 1]?.kind === b);
    expect(nets.filter((n) => after(n, "sumpool", "conv")).length).toBeGreaterThanOrEqual(3);
    expect(nets.filter((n) => after(n, "sumpool", "sumpool")).length).toBe(1);
    expect(nets.filter((n) => after(n, "maxpool", "sumpool")).length).toBe(1);
    expect(nets.filter((n) => n.layers.some((l) => l.kind === "dense")).length).toBeGreaterThanOrEqual(2);
    expect(nets.filter((n) => n.layers[0].kind === "sumpool").length).toBe(1);
    for (const n of nets) expect(n.layers.filter((l) => l.kind === "sumpool").every((l) => l.kind === "sumpool" && l.size >= 1)).toBe(true);
  });

  it("the CUDA backend generates sum-pool networks (not yet verified on a GPU: scripts/gpu checks them)", () => {
    const net = networkOf(randomConvSpec(101, { sumpool: true, channels: 2 }));
    expect(() => assertBackendSupports(buildPlan(net), "cuda")).not.toThrow();
  });
});
