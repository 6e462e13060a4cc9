// NIR export refuses what it cannot write yet, with one sentence naming the layer, rather than
// dropping it silently: recurrent tensors and spiking readouts (with or without a bias).

import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { exportNir } from "../../compiler/nir/export-graph.ts";
import { NirError } from "../../compiler/nir/graph.ts";
import { resolveSpec } from "../../compiler/spec/index.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { randomSpec } from "../support/random-spec.ts";

const CASES: [string, Parameters<typeof randomSpec>[1], RegExp][] = [
  ["a recurrent hidden layer", { recurrent: "first" }, /^layer l1 \(dense\) has a recurrent tensor, which snnc cannot export to NIR yet$/],
  ["a spiking readout", { spikingReadout: true }, /^layer l\d \(readout\): a spiking readout has no NIR export yet$/],
  ["a recurrent spiking readout", { spikingReadout: "recurrent" }, /^layer l\d \(readout\) has a recurrent tensor, which snnc cannot export to NIR yet$/],
  ["a spiking readout with a bias", { spikingReadout: true, readoutBias: true }, /^layer l\d \(readout\): a spiking readout has no NIR export yet$/],
  ["a recurrent CuBa layer", { recurrent: "first", cuba: true }, /^layer l1 \(dense\) has a recurrent tensor, which snnc cannot export to NIR yet$/],
];

describe("NIR export refuses recurrence and spiking readouts", () => {
  for (const [name, opts, message] of CASES)
    it(name, () => {
      const spec = resolveSpec(randomSpec(3, opts));
      const weights = initialWeights(lowerSpec(spec), 7);
      let err: unknown;
      try {
        exportNir(spec, weights, { dtMs: spec.time.dt_ms, discretization: "exact", reset: "subtract" });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NirError);
      expect((err as Error).message).toMatch(message);
    });
});
