// Table-driven bad specs of the sum-pool layer and of N-MNIST's polarity channels, in the form of
// bad-specs.test.ts: each row breaks one thing and states exactly what the user is told.

import { describe, expect, it } from "vitest";
import { checkSpecText, formatProblem } from "../../compiler/spec/index.ts";
import { spatialSpec, type Json } from "./base-spec.ts";

const FILE = "bad.json";
const line = (pointer: string, rest: string): [string, string] => [pointer, `${FILE}: ${pointer || "/"}: ${rest}`];

/** An N-MNIST spec with the given input shape: conv → flatten → readout of 10. */
function nmnist(shape: number[]): Json {
  const s = spatialSpec(shape, [{ kind: "conv", filters: 2, kernel: 3, stride: 2 }, { kind: "flatten" }, { kind: "readout", size: 10 }]);
  s.input.dataset = "nmnist";
  return s;
}

const cases: { name: string; spec: Json; want: [string, string][] }[] = [
  {
    name: "sumpool on a flat input",
    spec: spatialSpec([4], [{ kind: "sumpool", size: 2 }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0", "a sumpool layer needs a spatial input ([H, W] or [C, H, W]), got [4]")],
  },
  {
    name: "sumpool after a flatten",
    spec: spatialSpec([1, 4, 4], [{ kind: "flatten" }, { kind: "sumpool", size: 2 }, { kind: "readout", size: 2 }]),
    // The layers after it have no known input shape, so only the first problem is reported.
    want: [line("/layers/1", "a sumpool layer needs a spatial input ([H, W] or [C, H, W]), got [16]")],
  },
  {
    name: "sumpool window larger than the input",
    spec: spatialSpec([2, 3, 5], [{ kind: "sumpool", size: 4 }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0", "sumpool output would be 0×1 (input 3×5, size 4) (use a smaller pool size)")],
  },
  {
    name: "sumpool of size 0",
    spec: spatialSpec([1, 4, 4], [{ kind: "sumpool", size: 0 }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0/size", "must be >= 1, got 0")],
  },
  {
    name: "sumpool without a size",
    spec: spatialSpec([1, 4, 4], [{ kind: "sumpool" }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0", 'missing required field "size"')],
  },
  {
    name: "sumpool with a stride",
    spec: spatialSpec([1, 4, 4], [{ kind: "sumpool", size: 2, stride: 1 }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0/stride", 'unknown field "stride" (allowed fields: kind, size)')],
  },
  {
    name: "N-MNIST polarity channels as a flat shape",
    spec: nmnist([2312]),
    want: [
      line("/layers/0", "a conv layer needs a spatial input ([H, W] or [C, H, W]), got [2312] (give input.shape as [H, W] or [C, H, W])"),
      line("/input/shape", 'dataset "nmnist" keeps its polarities as channels only with the shape [2, 34, 34], got [2312] (use [2, 34, 34], or [1156], [34, 34] or [1, 34, 34] for merged polarities)'),
    ],
  },
  {
    name: "N-MNIST polarity channels in another layout",
    spec: nmnist([2, 17, 68]),
    want: [line("/input/shape", 'dataset "nmnist" keeps its polarities as channels only with the shape [2, 34, 34], got [2, 17, 68] (use [2, 34, 34], or [1156], [34, 34] or [1, 34, 34] for merged polarities)')],
  },
  {
    name: "N-MNIST with three channels",
    spec: nmnist([3, 34, 34]),
    want: [line("/input/shape", 'dataset "nmnist" has 1156 inputs, but this shape has 3468 (use [1156], [34, 34] or [1, 34, 34] (polarities merged) or [2, 34, 34] (polarities as channels))')],
  },
  {
    name: "polarity channels of a dataset without them",
    spec: (() => {
      const s = spatialSpec([2, 34, 34], [{ kind: "conv", filters: 2, kernel: 3, stride: 2 }, { kind: "flatten" }, { kind: "readout", size: 20 }]);
      s.input.dataset = "shd";
      return s;
    })(),
    want: [line("/input/shape", 'dataset "shd" has 700 inputs, but this shape has 2312 (use [700])')],
  },
];

describe("bad specs: sum-pool and N-MNIST polarity channels", () => {
  it.each(cases)("$name", ({ spec, want }) => {
    const result = checkSpecText(JSON.stringify(spec, null, 2), FILE);
    if (result.ok) throw new Error("expected the spec to be rejected");
    expect(result.problems.map(formatProblem)).toEqual(want.map(([, formatted]) => formatted));
    expect(result.problems.map((p) => p.pointer)).toEqual(want.map(([pointer]) => pointer));
  });

  it("accepts N-MNIST as [2, 34, 34] (polarity channels) and as [1156], [34, 34], [1, 34, 34] (merged)", () => {
    for (const shape of [[2, 34, 34], [34, 34], [1, 34, 34]]) expect(checkSpecText(JSON.stringify(nmnist(shape)), FILE).ok).toBe(true);
    const flat = nmnist([1156]);
    flat.layers = [{ kind: "dense", size: 3 }, { kind: "readout", size: 10 }];
    expect(checkSpecText(JSON.stringify(flat), FILE).ok).toBe(true);
  });
});
