import { describe, expect, it } from "vitest";
import { latencyEncode, latencyStep, latencyTable, makeLatencyEncoder } from "../../runtime/data/latency-encoding.ts";

// Reference constants: τ_eff = 20 steps, θ = 0.2, T = 100.
const REF = { tauEffSteps: 20, theta: 0.2, steps: 100 };

describe("latency encoding", () => {
  // Hand-computed: step = ⌊20·ln(x/(x − 0.2))⌋ with x = p/255.
  it.each([
    [255, 4], // ⌊20·ln(1/0.8)⌋ = ⌊4.4629⌋
    [128, 10], // ⌊10.1645⌋
    [100, 14], // ⌊14.2670⌋
    [60, 37], // x/(x−θ) = 60/9, ⌊37.9424⌋
    [53, 65], // 53/2, ⌊65.5429⌋
    [52, 79], // x ≈ 0.2039 > θ: 52/1, ⌊20·ln 52⌋ = ⌊79.0249⌋
  ])("pixel %i spikes at step %i", (pixel, step) => {
    expect(latencyStep(pixel / 255, REF)).toBe(step);
    expect(latencyTable(REF)[pixel]).toBe(step);
  });

  it("pixels at or below θ (≤ 51) never spike", () => {
    const table = latencyTable(REF);
    for (let p = 0; p <= 51; p++) expect(table[p]).toBe(-1);
    expect(latencyStep(0.2, REF)).toBe(-1);
  });

  it("drops spikes whose step is ≥ T", () => {
    const t66 = { ...REF, steps: 66 };
    expect(latencyStep(53 / 255, t66)).toBe(65); // last step kept
    expect(latencyStep(52 / 255, t66)).toBe(-1); // step 79 ≥ 66
    const t65 = { ...REF, steps: 65 };
    expect(latencyStep(53 / 255, t65)).toBe(-1); // step 65 = T
  });

  it("encodes an image sorted by time then unit, one spike per pixel at most", () => {
    const pixels = Uint8Array.from([0, 255, 52, 255, 128, 51, 60]);
    const s = latencyEncode(pixels, 7, REF);
    expect(Array.from(s.times)).toEqual([4, 4, 10, 37, 79]);
    expect(Array.from(s.units)).toEqual([1, 3, 4, 6, 2]);
    expect(s.label).toBe(7);
    expect(s.times).toBeInstanceOf(Int32Array);
    expect(s.units).toBeInstanceOf(Int32Array);
  });

  it("the table encoder equals the per-pixel formula on every byte value", () => {
    const pixels = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    const opts = { tauEffSteps: 13.5, theta: 0.1, steps: 40 };
    const s = makeLatencyEncoder(opts)(pixels, 0);
    const want: [number, number][] = [];
    for (let u = 0; u < 256; u++) {
      const t = latencyStep(pixels[u] / 255, opts);
      if (t >= 0) want.push([t, u]);
    }
    want.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(Array.from(s.times)).toEqual(want.map((e) => e[0]));
    expect(Array.from(s.units)).toEqual(want.map((e) => e[1]));
  });

  it("rejects bad options", () => {
    expect(() => latencyTable({ ...REF, tauEffSteps: 0 })).toThrow("tauEffSteps must be a positive number, got 0");
    expect(() => latencyTable({ ...REF, theta: 1 })).toThrow("theta must be in [0, 1), got 1");
    expect(() => latencyTable({ ...REF, steps: 2.5 })).toThrow("steps must be a positive integer, got 2.5");
  });
});
