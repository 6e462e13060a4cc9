import { describe, expect, it } from "vitest";
import { referenceAdam } from "./index.ts";

describe("referenceAdam", () => {
  it("takes two textbook steps", () => {
    const w = Float64Array.of(1, -2);
    const m = new Float64Array(2);
    const v = new Float64Array(2);
    const lr = 0.1;
    const eps = 1e-8;
    referenceAdam(w, Float64Array.of(0.5, -0.1), m, v, 1, lr, 0.9, 0.999, eps);
    // m = 0.1·g, v = 0.001·g²; m̂ = g, v̂ = g² → w −= lr·g/(|g| + eps)
    expect(m[0]).toBeCloseTo(0.05, 16);
    expect(m[1]).toBeCloseTo(-0.01, 16);
    expect(v[0]).toBeCloseTo(0.00025, 16);
    expect(v[1]).toBeCloseTo(0.00001, 16);
    expect(w[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + eps), 14);
    expect(w[1]).toBeCloseTo(-2 + (0.1 * 0.1) / (0.1 + eps), 14);
    const w1 = [w[0], w[1]];

    referenceAdam(w, Float64Array.of(0.2, 0.3), m, v, 2, lr, 0.9, 0.999, eps);
    // m = 0.9·0.05 + 0.1·0.2 = 0.065;     v = 0.999·0.00025 + 0.001·0.04 = 0.00028975
    // m = 0.9·(−0.01) + 0.1·0.3 = 0.021;  v = 0.999·0.00001 + 0.001·0.09 = 0.00009999
    expect(m[0]).toBeCloseTo(0.065, 15);
    expect(m[1]).toBeCloseTo(0.021, 15);
    expect(v[0]).toBeCloseTo(0.00028975, 15);
    expect(v[1]).toBeCloseTo(0.00009999, 15);
    const c1 = 1 - 0.81;
    const c2 = 1 - 0.998001;
    expect(w[0]).toBeCloseTo(w1[0] - (0.1 * (0.065 / c1)) / (Math.sqrt(0.00028975 / c2) + eps), 13);
    expect(w[1]).toBeCloseTo(w1[1] - (0.1 * (0.021 / c1)) / (Math.sqrt(0.00009999 / c2) + eps), 13);
    // numerically: m̂ = 0.342105263…, √v̂ = 0.380719678…, step 0.1·m̂/(√v̂ + eps) = 0.0898575181
    expect(w1[0] - w[0]).toBeCloseTo(0.0898575181, 9);
  });

  it("rejects a 0-based step", () => {
    const z = () => new Float64Array(1);
    expect(() => referenceAdam(z(), z(), z(), z(), 0, 0.1, 0.9, 0.999, 1e-8)).toThrow(/step/);
  });
});
