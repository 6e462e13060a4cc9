// scripts/kernel-ab.ts end to end on tiny.json: the base revision built in a temporary git worktree,
// both addons timed in turn in one process, their numerics compared. Never asserts a timing.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

function kernelAb(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "kernel-ab.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const git = (args: string[]) => spawnSync("git", ["-C", ROOT, ...args], { encoding: "utf8" }).stdout;

describe("scripts/kernel-ab.ts", () => {
  it("times HEAD's kernels against the working tree's, a row per kernel, and leaves no worktree behind", () => {
    const worktrees = git(["worktree", "list", "--porcelain"]);
    const r = kernelAb(["models/tiny.json", "--base", "HEAD", "--rounds", "2", "--reps", "2", "--warmup", "1", "--batch", "4"]);
    expect(r.stderr).not.toContain("    at ");
    expect(r.code).toBe(0);
    const head = git(["rev-parse", "--short", "HEAD"]).trim();
    expect(r.stdout).toContain(`A: the kernels of ${head} (HEAD)`);
    expect(r.stdout).toMatch(/numerics \(one forward \+ backward from the same weights\): /);
    // Where the kernels' sources are HEAD's, the two builds must agree bit for bit.
    if (git(["status", "--porcelain", "--", "templates", "compiler"]).trim() === "")
      expect(r.stdout).toContain("identical (loss, statistics and every gradient, bit for bit)");
    for (const kernel of ["step (wall)", "forward_lif_l1", "forward_lif_l2", "forward_readout_l3", "loss", "backward_sparse_l1", "adam_w1"])
      expect(r.stdout).toMatch(new RegExp(`^  ${kernel.replace(/[()]/g, "\\$&")}\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}(\\s+[+-]\\d+\\.\\d%){3}$`, "m"));
    // Two models of each build; the table says what its columns compare.
    expect(r.stdout).toMatch(/^two models of each build, timed in turn \(A, B, B, A, then the reverse\) over 2 rounds, /m);
    expect(r.stdout).toMatch(/^ +A ms +B ms +B vs A +A vs A +B vs B$/m);
    expect(git(["worktree", "list", "--porcelain"])).toBe(worktrees);
  }, 120_000);

  it("a revision git does not know: one line, exit 1", () => {
    const r = kernelAb(["models/tiny.json", "--base", "no-such-revision"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^kernel-ab: git rev-parse .*no-such-revision/);
  });
});
