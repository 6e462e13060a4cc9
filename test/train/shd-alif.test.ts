// models/shd-alif.json (one recurrent ALIF layer: adaptive threshold, docs/design.md §2.1) trains
// through `snnc train` on the committed SHD fixture (the released files' layout) with a hidden
// layer that spikes: a silent layer would leave the sparse backward without gradient.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "./support.ts";

const tmp = tempDir("shd-alif");
afterAll(() => tmp.remove());

describe("snnc train models/shd-alif.json on the SHD fixture", () => {
  it("builds, trains 2 epochs at batch 4 and its recurrent ALIF layer is active", () => {
    const out = join(tmp.path, "run");
    const r = spawnSync(
      process.execPath,
      ["bin/snnc.mjs", "train", "models/shd-alif.json", "--backend", "cpu", "--data", "test/fixtures/shd", "--epochs", "2", "--batch", "4", "--progress", "none", "--out", out],
      { encoding: "utf8", timeout: 300_000 },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("data: SHD HDF5 files in test/fixtures/shd (12 train / 6 test)");
    const epochs = r.stdout.split("\n").filter((l) => /^epoch \d\/2 /.test(l));
    expect(epochs).toHaveLength(2);
    for (const line of epochs) {
      const m = /l1 active (\d+\.\d)% spikes (\d+\.\d+)\/step/.exec(line);
      expect(m, line).not.toBeNull();
      expect(Number(m![1]), line).toBeGreaterThan(0);
      expect(Number(m![2]), line).toBeGreaterThan(0);
      expect(line).toMatch(/train loss \d+\.\d{3}/);
    }
    expect(r.stdout).toMatch(/final test accuracy \d+\.\d% \(loss \d\.\d{3}\) after 2 epochs/);
  });
});
