// `snnc train <model> ` on the committed SHD fixture (the released files' layout), 2 epochs at
// batch 4 on the CPU backend, for the SHD model tests: the run must succeed quietly and its hidden
// layer l1 must spike in every epoch (a silent layer would leave the sparse backward without
// gradient). Returns stdout for the caller's own checks.

import { spawnSync } from "node:child_process";
import { expect } from "vitest";

export function trainOnShdFixture(model: string, out: string): string {
  const r = spawnSync(
    process.execPath,
    ["bin/snnc.mjs", "train", model, "--backend", "cpu", "--data", "test/fixtures/shd", "--epochs", "2", "--batch", "4", "--progress", "none", "--out", out],
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
  return r.stdout;
}
