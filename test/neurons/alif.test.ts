// ALIF's between-events table (compiler/neurons/alif.ts): with the adjoint (δ, λ_a, π) one quiet
// step is M = [[α, 0, 0], [0, ρ, 1], [0, 0, 0]], and entry n ≥ 1 of the table is Mⁿ's non-zero
// entries (αⁿ, ρⁿ, ρⁿ⁻¹). Its threshold moves, so it claims no quiet bound.

import { describe, expect, it } from "vitest";
import { alif, alifPropagator } from "../../compiler/neurons/alif.ts";
import { DEFAULT_NEURON } from "../../compiler/spec/defaults.ts";

type M3 = number[][];
const mul = (a: M3, b: M3): M3 => a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));

describe("ALIF's propagator", () => {
  it("entry n ≥ 1 is Mⁿ of M = [[α, 0, 0], [0, ρ, 1], [0, 0, 0]]", () => {
    const [a, r] = [0.9, 0.7];
    const m: M3 = [[a, 0, 0], [0, r, 1], [0, 0, 0]];
    let p: M3 = m;
    alifPropagator(a, r, 10).slice(1).forEach(([pa, pr, pp]) => {
      expect(pa).toBeCloseTo(p[0][0], 14);
      expect(pr).toBeCloseTo(p[1][1], 14);
      expect(pp).toBeCloseTo(p[1][2], 14);
      expect(p[2].every((x) => x === 0) && p[0][1] === 0 && p[1][0] === 0).toBe(true);
      p = mul(m, p);
    });
  });

  it("lowers ρ from tau_adapt_ms, flattens its table, and has no quiet bound", () => {
    const p = alif.lower({ ...DEFAULT_NEURON, tau_adapt_ms: 40 }, 2);
    expect(p).toMatchObject({ model: "alif", rho: Math.exp(-2 / 40), betaAdapt: 1.8 });
    expect(alif.propagator(p, 3)).toEqual(alifPropagator(p.alpha, p.rho, 3).flat());
    expect(alif.quietBelow(p)).toBeNull();
    expect(alif.injectReadsSurrogate).toBe(true);
  });
});
