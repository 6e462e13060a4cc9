// The bench's arithmetic on made-up timings: medians and quantiles, per-phase sums, speed-ups,
// memory saved, activity means and notes, and the option parsers.

import { describe, expect, it } from "vitest";
import { median, quantile, type StepTiming } from "../../runtime/bench/bench.ts";
import { activityNote } from "../../runtime/bench/calibrate.ts";
import { meanRows, parseSweep } from "../../runtime/bench/run-bench.ts";
import { sliceBatch } from "../../runtime/bench/synthetic-batch.ts";
import { memorySaved, phases, speedup, speedups } from "../../runtime/bench/summary.ts";
import { parseActivity } from "../../runtime/cli/commands/bench.ts";
import { packBatch } from "../../runtime/data/spike-batch.ts";

const timing = (backward: "sparse" | "dense", stepMs: number, kernels: [string, number][]): StepTiming => ({
  backward,
  backend: "cpu",
  batch: 4,
  reps: 3,
  stepMs: { median: stepMs, p10: stepMs, p90: stepMs },
  kernelMs: kernels.reduce((a, [, m]) => a + m, 0),
  kernels,
  bufferBytes: 0,
  activeFraction: 0.01,
});

describe("bench arithmetic", () => {
  it("takes medians and interpolated quantiles, never means", () => {
    expect(median([5, 1, 100, 2, 3])).toBe(3);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([0, 10], 0.1)).toBeCloseTo(1);
    expect(median([])).toBeNaN();
  });

  it("sums the kernels into forward, backward and Adam", () => {
    const t = timing("sparse", 10, [
      ["forward_lif_l1", 1],
      ["forward_lif_l2", 0.5],
      ["forward_readout_l3", 0.25],
      ["loss", 0.25],
      ["zero_gradients", 0.1],
      ["backward_sparse_l3", 0.2],
      ["backward_sparse_l2", 0.3],
      ["backward_sparse_l1", 0.4],
      ["adam_w1", 0.5],
      ["adam_w2", 0.5],
    ]);
    const p = phases(t);
    expect(p.forwardMs).toBeCloseTo(2);
    expect(p.backwardMs).toBeCloseTo(1);
    expect(p.adamMs).toBeCloseTo(1);
    expect(p.stepMs).toBe(10);
  });

  it("gives speed-ups as dense/sparse and memory saved as 100·(1 − sparse/dense)", () => {
    expect(speedup(2, 10)).toBe(5);
    expect(speedup(0, 10)).toBeNaN();
    expect(memorySaved(25, 100)).toBe(75);
    expect(memorySaved(100, 100)).toBe(0);
    expect(memorySaved(1, 0)).toBeNaN();
    const s = speedups({ forwardMs: 1, backwardMs: 1, adamMs: 0, stepMs: 4 }, { forwardMs: 1, backwardMs: 9, adamMs: 0, stepMs: 12 });
    expect(s).toEqual({ backward: 9, forwardBackward: 5, step: 3 });
  });

  it("averages per-layer activity over reps and flags activity below 0.1%", () => {
    const rows = meanRows([
      [{ id: "l1", activeFraction: 0.01, spikeRate: 0.02 }, { id: "l2", activeFraction: 0.03, spikeRate: 0 }],
      [{ id: "l1", activeFraction: 0.03, spikeRate: 0.04 }, { id: "l2", activeFraction: 0.01, spikeRate: 0.02 }],
    ]);
    expect(rows).toEqual([
      { id: "l1", activeFraction: 0.02, spikeRate: 0.03 },
      { id: "l2", activeFraction: 0.02, spikeRate: 0.01 },
    ]);
    expect(activityNote(rows)).toEqual({ text: "l1 2.00% active, 0.0300 spikes/neuron/step; l2 2.00% active, 0.0100 spikes/neuron/step", representative: true });
    const quiet = activityNote([{ id: "l1", activeFraction: 2e-7, spikeRate: 0 }]);
    expect(quiet.representative).toBe(false);
    expect(quiet.text).toContain("below 0.1% active: the sparse/dense ratio is not representative");
  });

  it("parses --sweep and --activity", () => {
    expect(parseSweep("hidden=200, 400,600")).toEqual({ param: "hidden", values: [200, 400, 600] });
    expect(() => parseSweep("tau=1,2")).toThrow("--sweep takes hidden=N,N,…");
    expect(() => parseSweep("hidden=200,x")).toThrow('"x" is not a positive integer');
    expect(parseActivity("0.02")).toEqual({ activeFraction: 0.02, spikeRate: 0.03 });
    expect(parseActivity("off")).toBeNull();
    expect(() => parseActivity("2")).toThrow("expected an active fraction in (0, 0.5)");
  });

  it("slices the first samples of a batch", () => {
    const b = packBatch(
      [0, 1, 2].map((k) => ({ times: Int32Array.from([0, 1]), units: Int32Array.from([k, k + 1]), label: k })),
      2,
      4,
    );
    const s = sliceBatch(b, 2);
    expect([...s.offsets]).toEqual([0, 1, 2, 3, 4]);
    expect([...s.indices]).toEqual([0, 1, 1, 2]);
    expect([...s.labels]).toEqual([0, 1]);
    expect(sliceBatch(b, 5)).toBe(b);
  });
});
