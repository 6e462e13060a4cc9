// The delayed-XOR data set (runtime/data/delayed-xor.ts): its shape, determinism per seed and split,
// balanced labels = cue XOR probe, the cue and probe where they belong with only noise in a delay of
// more than 100 steps; loadDataset serves it and a spec with too few steps is told so.

import { describe, expect, it } from "vitest";
import { checkSpecText, formatProblem } from "../../compiler/spec/index.ts";
import { DELAYED_XOR, DELAYED_XOR_MIN_STEPS, delayedXorDataset, delayedXorPair } from "../../runtime/data/delayed-xor.ts";
import { loadDataset } from "../../runtime/data/index.ts";
import type { SpikeSample } from "../../runtime/data/spike-batch.ts";

const group = (u: number) => Math.floor(u / DELAYED_XOR.groupSize);

/** Spikes of each input group within [from, to). */
function groupCounts(s: SpikeSample, from: number, to: number): number[] {
  const c = [0, 0, 0, 0];
  s.times.forEach((t, k) => {
    if (t >= from && t < to) c[group(s.units[k])]++;
  });
  return c;
}

describe("the delayed-XOR data set", () => {
  const T = 160;
  const train = delayedXorDataset({ steps: T, samples: 64, seed: 5 });

  it("has 20 inputs, 2 classes, T steps, the samples asked for, balanced labels A XOR B", () => {
    expect([train.inputs, train.classes, train.steps, train.length]).toEqual([20, 2, T, 64]);
    const labels = Array.from({ length: 64 }, (_, i) => train.get(i).label);
    expect(labels.filter((l) => l === 1)).toHaveLength(32);
    labels.forEach((l, i) => expect(l).toBe(delayedXorPair(i).a ^ delayedXorPair(i).b));
    expect([0, 1, 2, 3].map((i) => delayedXorPair(i))).toEqual([
      { a: 0, b: 0, label: 0 },
      { a: 1, b: 0, label: 1 },
      { a: 0, b: 1, label: 1 },
      { a: 1, b: 1, label: 0 },
    ]);
  });

  it("is the same for the same seed and split, and differs across seeds and splits", () => {
    const again = delayedXorDataset({ steps: T, samples: 8, seed: 5 });
    const other = delayedXorDataset({ steps: T, samples: 8, seed: 6 });
    const test = delayedXorDataset({ steps: T, samples: 8, seed: 5, split: "test" });
    for (let i = 0; i < 8; i++) expect(again.get(i)).toEqual(train.get(i));
    const same = (d: typeof train) => Array.from({ length: 8 }, (_, i) => d.get(i)).every((s, i) => JSON.stringify(s) === JSON.stringify(train.get(i)));
    expect(same(other)).toBe(false);
    expect(same(test)).toBe(false);
  });

  it("puts the cue on group A early and the probe on group 2 + B at the end, with a delay of > 100 quiet steps", () => {
    const probeStart = T - 1 - DELAYED_XOR.probeSteps;
    expect(probeStart - DELAYED_XOR.cueSteps).toBeGreaterThan(100);
    for (let i = 0; i < 64; i++) {
      const s = train.get(i);
      const { a, b } = delayedXorPair(i);
      const cue = groupCounts(s, 0, DELAYED_XOR.cueSteps);
      const probe = groupCounts(s, probeStart, probeStart + DELAYED_XOR.probeSteps);
      const delay = groupCounts(s, DELAYED_XOR.cueSteps, probeStart);
      // 20 steps × 5 units × 0.3 = 30 expected spikes in the active group; noise 0.005 elsewhere.
      expect(cue[a]).toBeGreaterThan(10);
      expect(Math.max(...cue.filter((_, g) => g !== a))).toBeLessThan(5);
      expect(probe[2 + b]).toBeGreaterThan(10);
      expect(Math.max(...probe.filter((_, g) => g !== 2 + b))).toBeLessThan(5);
      // 119 steps × 20 units × 0.005 ≈ 12 noise spikes, spread over the groups.
      expect(delay.reduce((x, y) => x + y, 0)).toBeLessThan(40);
      for (let k = 1; k < s.times.length; k++) expect(s.times[k] > s.times[k - 1] || (s.times[k] === s.times[k - 1] && s.units[k] > s.units[k - 1])).toBe(true);
    }
  });

  it("refuses fewer than 141 steps; loadDataset serves it; a spec with too few steps is told why", async () => {
    expect(DELAYED_XOR_MIN_STEPS).toBe(141);
    expect(() => delayedXorDataset({ steps: 140, samples: 1, seed: 1 })).toThrow("needs at least 141 steps");
    const loaded = await loadDataset("delayed-xor", { steps: 150, delayedXor: { trainSamples: 8, testSamples: 4 } });
    expect([loaded.train.length, loaded.test.length, loaded.train.steps]).toEqual([8, 4, 150]);
    expect(loaded.source).toBe("delayed-XOR task (150 steps, seed 1; 8 train / 4 test)");
    const spec = {
      name: "x",
      time: { steps: 100, dt_ms: 1 },
      input: { shape: [20], encoding: { kind: "events", bin_ms: 1 }, dataset: "delayed-xor" },
      layers: [{ kind: "dense", size: 4 }, { kind: "readout", size: 2 }],
      training: { batch: 2, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
    };
    const r = checkSpecText(JSON.stringify(spec), "x.json");
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map(formatProblem)).toEqual([
        'x.json: /time/steps: dataset "delayed-xor" needs at least 141 steps, got 100 (a 20-step cue, a delay of at least 100 steps and a 20-step probe, then the step whose input no update uses)',
      ]);
  });
});
