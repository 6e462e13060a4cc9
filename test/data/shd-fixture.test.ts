// The SHD loader on files in the released layout (variable-length float16 times, variable-length
// uint16 units, uint8 labels, an `extra` group), written by h5py: scripts/fixtures/make-shd-fixture.py.
// expected.json holds what that script computed independently (numpy) for every sample: the label
// and the number of distinct (2 ms bin, unit) pairs inside the first 500 bins.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadShd } from "../../runtime/data/shd.ts";

const DIR = "test/fixtures/shd";
const expected = JSON.parse(readFileSync(`${DIR}/expected.json`, "utf8")) as Record<"train" | "test", { labels: number[]; events: number[] }>;

describe("SHD files in the released layout", () => {
  it("decode to the labels and binned events the fixture's writer computed", async () => {
    const data = await loadShd({ dir: DIR, binMs: 2, steps: 500 });
    for (const split of ["train", "test"] as const) {
      const ds = data[split];
      const want = expected[split];
      expect(ds.length).toBe(want.labels.length);
      for (let k = 0; k < ds.length; k++) {
        const s = ds.get(k);
        expect(s.label).toBe(want.labels[k]);
        expect(s.times.length).toBe(want.events[k]);
        expect(Math.min(...s.times)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...s.times)).toBeLessThan(500);
        expect(Math.max(...s.units)).toBeLessThan(700);
      }
    }
  });
});
