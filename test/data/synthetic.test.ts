import { describe, expect, it } from "vitest";
import { syntheticClassUnits, syntheticDataset } from "../../runtime/data/synthetic.ts";
import { loadDataset } from "../../runtime/data/index.ts";
import { DataError } from "../../runtime/data/data-error.ts";
import type { SpikeDataset } from "../../runtime/data/spike-batch.ts";

const OPTS = { inputs: 20, steps: 50, classes: 4, samples: 200, seed: 7 };

function dump(ds: SpikeDataset): string {
  const parts: string[] = [];
  for (let i = 0; i < ds.length; i++) {
    const s = ds.get(i);
    parts.push(`${s.label}:${Array.from(s.times).join(",")}/${Array.from(s.units).join(",")}`);
  }
  return parts.join(";");
}

describe("synthetic dataset", () => {
  it("is deterministic in its seed", () => {
    expect(dump(syntheticDataset(OPTS))).toBe(dump(syntheticDataset(OPTS)));
    expect(dump(syntheticDataset({ ...OPTS, seed: 8 }))).not.toBe(dump(syntheticDataset(OPTS)));
    // Sample i does not depend on how many samples were drawn.
    const few = syntheticDataset({ ...OPTS, samples: 5 });
    expect(dump(few)).toBe(dump(syntheticDataset(OPTS)).split(";").slice(0, 5).join(";"));
  });

  it("has the declared shape, balanced labels and well-formed samples", () => {
    const ds = syntheticDataset(OPTS);
    expect([ds.length, ds.inputs, ds.steps, ds.classes, ds.name]).toEqual([200, 20, 50, 4, "synthetic/train"]);
    for (let i = 0; i < ds.length; i++) {
      const s = ds.get(i);
      expect(s.label).toBe(i % 4);
      for (let k = 0; k < s.times.length; k++) {
        expect(s.times[k]).toBeGreaterThanOrEqual(0);
        expect(s.times[k]).toBeLessThan(50);
        expect(s.units[k]).toBeLessThan(20);
        if (k > 0) {
          // strictly increasing in (time, unit): sorted, no duplicates
          expect(s.times[k] > s.times[k - 1] || (s.times[k] === s.times[k - 1] && s.units[k] > s.units[k - 1])).toBe(true);
        }
      }
    }
  });

  it("gives each class its own units, shared by the train and test splits", () => {
    const sets = syntheticClassUnits(20, 4, 7);
    expect(sets.map((s) => s.length)).toEqual([4, 4, 4, 4]);
    const all = sets.flatMap((s) => Array.from(s));
    expect(new Set(all).size).toBe(16); // disjoint
    const train = syntheticDataset(OPTS);
    const test = syntheticDataset({ ...OPTS, split: "test", samples: 100 });
    expect(test.name).toBe("synthetic/test");
    expect(dump(test)).not.toBe(dump(syntheticDataset({ ...OPTS, samples: 100 })));
    // A nearest-prototype rule (most spikes in which class's units) recovers the label: the task is learnable.
    for (const ds of [train, test]) {
      let correct = 0;
      for (let i = 0; i < ds.length; i++) {
        const s = ds.get(i);
        const votes = sets.map((set) => Array.from(s.units).filter((u) => set.includes(u)).length);
        if (votes.indexOf(Math.max(...votes)) === s.label) correct++;
      }
      expect(correct / ds.length).toBeGreaterThan(0.95);
    }
  });

  it("loadDataset('synthetic') builds both splits from one seed", async () => {
    const d = await loadDataset("synthetic", { steps: 30, synthetic: { inputs: 12, classes: 3, trainSamples: 30, testSamples: 9, seed: 5 } });
    expect([d.train.length, d.test.length, d.train.inputs, d.train.steps, d.train.classes]).toEqual([30, 9, 12, 30, 3]);
    expect(d.source).toBe("synthetic task (12 inputs, 3 classes, seed 5; 30 train / 9 test)");
    await expect(loadDataset("mnist" as never)).rejects.toBeInstanceOf(DataError);
    await expect(loadDataset("mnist" as never)).rejects.toThrow("mnist: unknown dataset; expected one of fashion-mnist, nmnist, shd, synthetic");
  });
});

describe("--data for the synthetic task (issue 26, item 13)", () => {
  it("refuses a folder that is not there, naming it, rather than ignoring it", async () => {
    await expect(loadDataset("synthetic", { dir: "no/such/data" })).rejects.toThrow(
      new DataError(
        "no/such/data",
        'no such folder (the spec\'s dataset is "synthetic", made in memory, which reads no files: leave out --data, or name the dataset in the spec\'s input.dataset)',
      ),
    );
  });

  it("leaves an existing folder unused (snnc train says so in a note)", async () => {
    const data = await loadDataset("synthetic", { dir: import.meta.dirname, synthetic: { trainSamples: 4, testSamples: 4 } });
    expect(data.train.length).toBe(4);
  });
});

