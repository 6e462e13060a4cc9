// Shape inference on its own: the arithmetic of conv and pool, [H, W] inputs, and the throwing
// entry point that IR lowering uses.

import { describe, expect, it } from "vitest";
import { checkShapes, inferShapes, type ShapeLayer } from "../../compiler/spec/index.ts";

describe("inferShapes", () => {
  it("passes flat shapes through dense layers", () => {
    expect(inferShapes([784], [{ kind: "dense", size: 200 }, { kind: "readout", size: 10 }])).toEqual([
      { inShape: [784], outShape: [200] },
      { inShape: [200], outShape: [10] },
    ]);
  });

  it("reads [H, W] as one channel", () => {
    const layers: ShapeLayer[] = [{ kind: "conv", filters: 4, kernel: 3 }, { kind: "flatten" }, { kind: "readout", size: 2 }];
    expect(inferShapes([5, 7], layers)).toEqual([
      { inShape: [1, 5, 7], outShape: [4, 3, 5] },
      { inShape: [4, 3, 5], outShape: [60] },
      { inShape: [60], outShape: [2] },
    ]);
  });

  it("applies stride and padding: out = ⌊(H + 2p − k)/s⌋ + 1", () => {
    const [conv] = inferShapes([3, 10, 9], [{ kind: "conv", filters: 8, kernel: 4, stride: 3, padding: 2 }]);
    // H: ⌊(10 + 4 − 4)/3⌋ + 1 = 4; W: ⌊(9 + 4 − 4)/3⌋ + 1 = 4
    expect(conv).toEqual({ inShape: [3, 10, 9], outShape: [8, 4, 4] });
  });

  it("floors max-pool outputs", () => {
    const [pool] = inferShapes([2, 7, 9], [{ kind: "maxpool", size: 2 }]);
    expect(pool).toEqual({ inShape: [2, 7, 9], outShape: [2, 3, 4] });
  });

  it("throws on a stack that does not fit", () => {
    expect(() => inferShapes([4], [{ kind: "conv", filters: 1, kernel: 1 }])).toThrow(
      "inconsistent layer shapes:\nlayer 0: a conv layer needs a spatial input ([H, W] or [C, H, W]), got [4]",
    );
  });
});

describe("checkShapes", () => {
  it("keeps going after a dense-on-spatial mistake and stops after an unknowable shape", () => {
    const check = checkShapes(
      [1, 4, 4],
      [
        { kind: "dense", size: 3 },
        { kind: "maxpool", size: 2 },
        { kind: "dense", size: 2 },
      ],
    );
    expect(check.layers).toEqual([{ inShape: [1, 4, 4], outShape: [3] }, undefined, undefined]);
    expect(check.problems.map((p) => p.layer)).toEqual([0, 1]);
  });
});
