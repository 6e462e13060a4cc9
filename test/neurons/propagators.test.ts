// The between-events tables the sparse backward reads (Proposition 1): each model's propagator is
// the n-th power of its one-step map, and the bias's table holds their running sums.

import { describe, expect, it } from "vitest";
import { propagatorSums } from "../../compiler/backends/context/dynamics.ts";
import { cubaLif, cubaPropagator } from "../../compiler/neurons/cuba-lif.ts";
import { lif } from "../../compiler/neurons/lif.ts";
import { lowerMembrane } from "../../compiler/neurons/membrane.ts";
import { DEFAULT_NEURON } from "../../compiler/spec/defaults.ts";

type M = [[number, number], [number, number]];
const mul = (a: M, b: M): M => [
  [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]],
  [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]],
];

describe("propagator tables", () => {
  it("CuBa: entry n is Mⁿ of M = [[α, 0], [α_syn, α_syn]], flattened (αⁿ, cₙ, α_synⁿ)", () => {
    const [a, s] = [0.9, 0.6];
    const m: M = [[a, 0], [s, s]];
    let p: M = [[1, 0], [0, 1]];
    cubaPropagator(a, s, 12).forEach(([pa, pc, ps], n) => {
      expect(p[0][1]).toBe(0);
      expect(pa).toBeCloseTo(p[0][0], 14);
      expect(pc).toBeCloseTo(p[1][0], 14);
      expect(ps).toBeCloseTo(p[1][1], 14);
      p = mul(m, p);
      expect(n).toBeLessThanOrEqual(12);
    });
  });

  it("a model's table has T + 1 entries of its width; no leak makes LIF's all 1", () => {
    const membrane = { ...DEFAULT_NEURON, leak: false };
    expect(lif.propagator(lif.lower(membrane, 1), 5)).toEqual([1, 1, 1, 1, 1, 1]);
    const cuba = cubaLif.lower({ ...DEFAULT_NEURON, tau_syn_ms: 3 }, 1);
    expect(cubaLif.propagator(cuba, 5)).toHaveLength(6 * cubaLif.propagatorWidth);
    expect(lowerMembrane(membrane, 1)).toMatchObject({ alpha: 1, tauMs: null, leak: false, reset: "subtract" });
  });

  it("the bias's table: entry m = Σ_{k=1}^{m} Pᵏ, elementwise, entry 0 = 0", () => {
    const p = cubaPropagator(0.8, 0.5, 6).flat();
    const sums = propagatorSums(p, 3);
    expect(sums.slice(0, 3)).toEqual([0, 0, 0]);
    for (let m = 1; m <= 6; m++)
      for (let q = 0; q < 3; q++) {
        let want = 0;
        for (let k = 1; k <= m; k++) want += p[k * 3 + q];
        expect(sums[m * 3 + q]).toBeCloseTo(want, 14);
      }
  });
});
