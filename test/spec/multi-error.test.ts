// Every problem of a stage comes back from one run, so a user fixes a file in one pass.

import { describe, expect, it } from "vitest";
import { checkSpecText, formatProblem } from "../../compiler/spec/index.ts";
import { baseSpec, spatialSpec } from "./base-spec.ts";

function problems(spec: unknown): string[] {
  const result = checkSpecText(JSON.stringify(spec, null, 2), "multi.json");
  if (result.ok) throw new Error("expected the spec to be rejected");
  return result.problems.map(formatProblem);
}

describe("many problems in one run", () => {
  it("reports every structural problem at once", () => {
    const s = baseSpec();
    delete s.time.steps;
    s.time.dt_ms = -1;
    s.neuron = { tau: 10, b_th: 0 };
    s.layers[0].size = "200";
    s.layers.splice(1, 0, { kind: "lstm" });
    s.layers[2].logits = "mean";
    s.training.optimizer.lr = 0;
    s.extra = true;
    expect(problems(s)).toEqual([
      'multi.json: /extra: unknown field "extra" (allowed fields: $schema, name, description, time, input, neuron, init, layers, loss, training)',
      'multi.json: /time: missing required field "steps"',
      "multi.json: /time/dt_ms: must be > 0, got -1",
      'multi.json: /neuron/tau: unknown field "tau" (did you mean "tau_ms"?)',
      "multi.json: /neuron/b_th: must be > 0, got 0",
      "multi.json: /layers/0/size: must be an integer, got string",
      'multi.json: /layers/1/kind: unknown layer kind "lstm" (expected one of dense, conv, maxpool, sumpool, flatten, readout)',
      'multi.json: /layers/2/logits: must be one of "max", "sum", "spike_count", got "mean"',
      "multi.json: /training/optimizer/lr: must be > 0, got 0",
    ]);
  });

  it("reports every cross-field problem at once", () => {
    const s = spatialSpec(
      [2, 4, 4],
      [
        { kind: "readout", size: 2 },
        { kind: "maxpool", size: 2 },
        { kind: "dense", size: 3, neuron: { v_th: -1 } },
      ],
    );
    s.input.encoding.bin_ms = 0.5;
    expect(problems(s)).toEqual([
      "multi.json: /layers/0: the readout layer must be the last layer",
      'multi.json: /layers/0: a readout layer needs a flat input, got [2, 4, 4] (insert {"kind": "flatten"} before it)',
      "multi.json: /layers/1: a maxpool layer needs a spatial input ([H, W] or [C, H, W]), got [2]",
      "multi.json: /layers/2/neuron/v_th: v_th (-1) must be greater than v_reset (0) (a spike subtracts v_th − v_reset from the membrane)",
      "multi.json: /input/encoding/bin_ms: must equal time.dt_ms (1), got 0.5 (events are binned one bin per time step)",
    ]);
  });
});
