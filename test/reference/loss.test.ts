import { describe, expect, it } from "vitest";
import { packBatch } from "../../runtime/data/spike-batch.ts";
import { buildNetwork } from "./helpers.ts";
import {
  activityLow,
  activityLowGrad,
  activityUp,
  activityUpGrad,
  logSumExp,
  referenceForward,
  sampleCrossEntropy,
} from "./index.ts";

describe("regulariser terms by hand", () => {
  const zeta = [0, 1, 5];
  it("L_low = (λ/N)·Σ max(0, ν − ζ)² and its derivative", () => {
    const p = { lambda: 2, nu: 2 };
    expect(activityLow(zeta, p)).toBeCloseTo((2 / 3) * (4 + 1 + 0), 15);
    expect(activityLowGrad(zeta, 0, p)).toBeCloseTo(-8 / 3, 15);
    expect(activityLowGrad(zeta, 1, p)).toBeCloseTo(-4 / 3, 15);
    expect(activityLowGrad(zeta, 2, p)).toBe(0);
    // kink: ν − ζ = 0 exactly → derivative 0
    expect(activityLowGrad([1], 0, { lambda: 1, nu: 1 })).toBe(0);
  });
  it("L_up = λ·max(0, mean ζ − ν) and its derivative", () => {
    expect(activityUp(zeta, { lambda: 0.5, nu: 1 })).toBeCloseTo(0.5, 15);
    expect(activityUpGrad(zeta, { lambda: 0.5, nu: 1 })).toBeCloseTo(0.5 / 3, 15);
    expect(activityUp(zeta, { lambda: 0.5, nu: 3 })).toBe(0);
    expect(activityUpGrad(zeta, { lambda: 0.5, nu: 3 })).toBe(0);
    // kink: mean ζ − ν = 0 exactly → derivative 0
    expect(activityUp(zeta, { lambda: 0.5, nu: 2 })).toBe(0);
    expect(activityUpGrad(zeta, { lambda: 0.5, nu: 2 })).toBe(0);
  });
  it("cross-entropy is stable for large logits", () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 12);
    expect(sampleCrossEntropy([1000, 0], 1)).toBeCloseTo(1000, 12);
    expect(sampleCrossEntropy([0, 0, 0], 2)).toBeCloseTo(Math.log(3), 15);
  });
});

describe("regulariser through referenceForward", () => {
  // 1 input spiking at every step → 3 hidden neurons, α = 0.5, V_th = 1, V_r = 0, T = 6:
  //   W = 0:   never spikes                                         ζ = 0
  //   W = 10:  V1 = 10, then V ≥ 10·… − 1 > 1 at every t ≥ 1        ζ = 5
  //   W = 0.6: V = 0, 0.6, 0.9, 1.05 (spike), 0.125, 0.6625        ζ = 1
  // Sample 2 gets no input: ζ = 0, 0, 0.
  const net = buildNetwork({
    inputs: 1,
    steps: 6,
    hidden: [{ size: 3, alpha: 0.5, vTh: 1, vReset: 0, vRest: 0 }],
    readout: { classes: 2 },
    loss: { activityLow: { lambda: 2, nu: 2 }, activityUp: { lambda: 0.5, nu: 1 } },
    batch: 2,
  });
  const all = [0, 1, 2, 3, 4, 5];
  const batch = packBatch(
    [
      { times: Int32Array.from(all), units: new Int32Array(6), label: 0 },
      { times: new Int32Array(0), units: new Int32Array(0), label: 1 },
    ],
    6,
    1,
  );
  const weights = [Float64Array.of(0, 10, 0.6), Float64Array.of(0.1, -0.2, 0.3, 0.4, -0.5, 0.6)];
  const f = referenceForward(net, weights, batch);

  it("counts spikes", () => {
    expect(Array.from(f.spikeCounts[0])).toEqual([0, 5, 1, 0, 0, 0]);
  });
  it("gives (1/B)·Σ_b L_low and L_up", () => {
    // sample 1: (2/3)·(4 + 0 + 1) = 10/3; sample 2: (2/3)·(4 + 4 + 4) = 8 → low = (10/3 + 8)/2
    expect(f.loss.low).toBeCloseTo((10 / 3 + 8) / 2, 14);
    // sample 1: mean 2 → 0.5·(2 − 1) = 0.5; sample 2: mean 0 → 0 → up = 0.25
    expect(f.loss.up).toBeCloseTo(0.25, 15);
    expect(f.loss.total).toBeCloseTo(f.loss.ce + f.loss.low + f.loss.up, 15);
    expect(f.loss.ce).toBeGreaterThan(0);
  });
});
