// The CPU sparse backward of a dense layer with a large ∇W (≥ 256 KiB, build-context.ts) adds ∇W
// input row by input row after the walk (add_input_rows) for a sample whose input spikes number at
// least ROWS_MIN_EVENTS times its inputs, instead of at each spike during the walk. The random specs
// of the other numerics tests are too small to take that path; here two 256×256 layers take it, the
// first on input events and the second on the first's spikes, against the float64 reference.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { buildModel } from "../support/build-model.ts";
import { tieFreeCase } from "../support/random-data.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

const T = 16;
const N = 256;
const SEED = 11;
const DENSITY = 0.4;

const spec = {
  name: "input-rows",
  time: { steps: T, dt_ms: 1 },
  input: { shape: [N], encoding: { kind: "events", bin_ms: 1 }, dataset: "synthetic" },
  neuron: { b_th: 0.3 },
  init: { distribution: "uniform", scale: 1 },
  layers: [{ kind: "dense", size: N }, { kind: "dense", size: N }, { kind: "readout", size: 3, logits: "sum" }],
  loss: { activity_low: { lambda: 1, nu: 0.5 }, activity_up: { lambda: 0.5, nu: 2 } },
  training: { batch: 2, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
} as NetworkSpec;

describe("CPU sparse backward adding ∇W input row by input row", () => {
  it("two 256×256 layers (input events, then spikes) match the float64 reference", async () => {
    const { net, addon, addonPath } = await buildModel(spec);
    const kernels = readFileSync(join(addonPath, "..", "..", "..", "kernels.cpp"), "utf8");
    // Both layers' sparse backward can take the path…
    for (const id of ["l1", "l2"]) {
      const start = kernels.indexOf(`void backward_sparse_${id}(`);
      expect(kernels.slice(start, kernels.indexOf("\n}\n", start)), id).toContain("add_input_rows<N_IN, N_OUT>(grad, g_rows");
    }
    // …and every sample of the batch takes it in both: enough input events and first-layer spikes.
    const minEvents = Number(/constexpr int ROWS_MIN_EVENTS = (\d+);/.exec(kernels)?.[1]);
    expect(minEvents).toBeGreaterThan(0);
    const c = tieFreeCase(net, SEED, { density: DENSITY });
    for (let b = 0; b < c.batch.batch; b++) {
      expect(c.batch.offsets[(b + 1) * T] - c.batch.offsets[b * T], `input events of sample ${b}`).toBeGreaterThanOrEqual(minEvents * N);
      const l1Spikes = c.fwd.spikeCounts[0].subarray(b * N, (b + 1) * N).reduce((s, x) => s + x, 0);
      expect(l1Spikes, `l1 spikes of sample ${b}`).toBeGreaterThanOrEqual(minEvents * N);
    }
    const r = checkNumerics(net, addon, SEED, DENSITY);
    expectMatchesReference(r);
    expect(r.activeFractions.every((f) => f > 0), "every layer has active neuron-times").toBe(true);
  });
});
