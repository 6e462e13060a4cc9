// `snnc bench` end to end as users run it: one tiny bench (--json shape) and one tiny sweep (two
// hidden sizes, the plot, the PyTorch peer or its visible skip line). Never asserts a timing.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { benchText } from "../../runtime/cli/commands/bench.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "snnc.mjs");
const tmp = mkdtempSync(join(tmpdir(), "snnc-bench-"));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const v of ["tiny-h8", "tiny-h10"]) rmSync(join(ROOT, "generated", v), { recursive: true, force: true });
});

function snnc(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SNNC_DEBUG: "", OMP_NUM_THREADS: "1" } });
  const out = { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
  expect(out.all).not.toContain("    at ");
  return out;
}

const TINY_ARGS = ["--backend", "cpu", "--batch", "4", "--reps", "2", "--warmup", "1"];

describe("snnc bench", () => {
  it("--json: machine, activity, sparse and dense timings, phases, speed-ups, memory", () => {
    const r = snnc(["bench", "models/tiny.json", ...TINY_ARGS, "--no-peer", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ format: "snnc-bench/2", backend: "cpu", batch: 4, reps: 2, warmup: 1 });
    expect(typeof j.machine.cpu).toBe("string");
    expect(j.machine.cores).toBeGreaterThan(0);
    expect(j.configs).toHaveLength(1);
    const c = j.configs[0];
    expect(Object.keys(c).sort()).toEqual(["activity", "batch", "dense", "hidden", "input", "memory", "model", "peer", "phases", "ratios", "roofline", "sparse", "speedup", "steps"]);
    expect(c).toMatchObject({ model: "tiny", hidden: [8, 6], steps: 16, batch: 4, peer: null });
    expect(c.activity.target).toEqual({ activeFraction: 0.01, spikeRate: 0.015 });
    expect(c.activity.layers.map((l: { id: string }) => l.id)).toEqual(["l1", "l2"]);
    expect(c.activity.calibration.layers).toHaveLength(2);
    expect(typeof c.activity.representative).toBe("boolean");
    for (const mode of ["sparse", "dense"]) {
      expect(c[mode].backward).toBe(mode);
      expect(Object.keys(c.phases[mode]).sort()).toEqual(["adamMs", "backwardMs", "forwardMs", "stepMs"]);
      expect(c.phases[mode].stepMs).toBe(c[mode].stepMs.median);
    }
    expect(Object.keys(c.speedup).sort()).toEqual(["backward", "forwardBackward", "step"]);
    expect(c.memory.backwardSavedPct).toBeCloseTo(100 * (1 - c.memory.plan.sparse.backwardOnly / c.memory.plan.dense.backwardOnly), 10);
    expect(c.memory.held.sparse).toBeGreaterThan(0);
    // A roofline row per kernel the model knows (every timed one), against this run's bandwidth.
    expect(j.roofs.bandwidth.gbPerS).toBeGreaterThan(0);
    expect(j.roofs.threads).toBe(1);
    for (const mode of ["sparse", "dense"]) {
      expect(c.roofline[mode].map((x: { kernel: string }) => x.kernel)).toEqual(c[mode].kernels.map(([n]: [string, number]) => n));
      for (const x of c.roofline[mode]) expect(x.mb).toBeGreaterThan(0);
    }
    expect(r.stderr).toContain("memory bandwidth: ");
    // The cache roof, measured by the model's own addon: a buffer of half the L2 per kernel thread.
    expect(j.roofs.cache.gbPerS).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^L2 read bandwidth: \d+\.\d GB\/s \(read of \d+ KiB per kernel thread/m);
    for (const x of c.roofline.sparse) expect(x.pctOfCache).toBeCloseTo((100 * x.streamedGbPerS) / j.roofs.cache.gbPerS, 6);
    // Progress and notes go to stderr with --json, the JSON alone to stdout.
    expect(r.stderr).toContain("ran at: l1 ");

    // The text of the same result: the step's p10–p90 beside its median, and a line when they are
    // far apart (a busy machine, or one whose speed drifted during the reps), each note on a line
    // of its own under the table.
    const withSpread = (p10: number, median: number, p90: number, representative = true) => {
      const k = structuredClone(j);
      k.configs[0].sparse.stepMs = { median, p10, p90 };
      k.configs[0].phases.sparse.stepMs = median;
      k.configs[0].activity.representative = representative;
      return benchText(k);
    };
    // The kernel table: streamed GB/s and % of L2 beside the memory columns, and the roofs explained.
    expect(benchText(j)).toMatch(/^  kernel +ms +MB +streamed MB +GFLOP +GB\/s +% of BW +streamed GB\/s +% of L2 +bound$/m);
    expect(benchText(j)).toMatch(/^L2: \d+\.\d GB\/s measured in this run \(read of /m);
    const steady = withSpread(3.9, 4.0, 4.2);
    expect(steady).toMatch(/^  tiny .* 4\.000  3\.900–4\.200 .*%$/m);
    expect(steady).not.toContain("varied by more than");
    const unsteady = withSpread(3.9, 4.0, 5.1, false);
    expect(unsteady).toMatch(/^  tiny .*%$\n^  \(!\) below 0\.1% active: .*§4\)$\n^  The sparse step's time varied by more than 15% over the reps \(p10–p90 of the median: tiny 30%\): .*\(scripts\/kernel-ab\.ts\)$/m);
  });

  it("--sweep hidden=8,10: one row per size, the plot, and the PyTorch peer or a visible skip line", () => {
    const plot = join(tmp, "bench.html");
    const out = join(tmp, "bench.json");
    const r = snnc(["bench", "models/tiny.json", ...TINY_ARGS, "--sweep", "hidden=8,10", "--activity", "0.02", "--peer-reps", "1", "--plot", plot, "--out", out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(out, "utf8"));
    expect(j.configs.map((c: { model: string; hidden: number[] }) => [c.model, c.hidden])).toEqual([
      ["tiny-h8", [8, 8]],
      ["tiny-h10", [10, 10]],
    ]);
    expect(r.stdout).toMatch(/^ {2}tiny-h10 +4 +\d+\.\d\d/m);
    expect(r.stdout.endsWith("\n"), "the output ends with its last newline").toBe(true);
    const peer = j.configs[0].peer;
    // Without a python that has torch the run says so once and the configs carry no peer (null).
    if (peer === null || "skipped" in peer) expect(r.stdout).toContain("PyTorch peer skipped");
    else {
      expect(peer).toMatchObject({ peer: "torch_bptt", reps: 1 });
      expect(r.stdout).toContain("PyTorch BPTT peer (same batch, inputs and weights");
      // The BLAS its process mapped, named in the heading (null only where it maps none).
      expect(peer).toHaveProperty("blas");
      if (peer.blas) expect(r.stdout).toContain(`threads, BLAS ${peer.blas}, `);
    }
    expect(existsSync(plot)).toBe(true);
    const html = readFileSync(plot, "utf8");
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it("checks --plot and --out before any work: one sentence, exit 1, nothing built or timed, no folder left (issue 26, item 11)", () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "");
    let r = snnc(["bench", "models/tiny.json", ...TINY_ARGS, "--no-peer", "--plot", tmp]);
    expect(r.stderr).toBe(`cannot write ${tmp}: it is a folder\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    // The probe of the first output made its folders; the second fails: they are gone again.
    const fresh = join(tmp, "new", "deeper", "bench.json");
    r = snnc(["bench", "models/tiny.json", ...TINY_ARGS, "--no-peer", "--out", fresh, "--plot", join(file, "bench.html")]);
    expect(r.stderr).toBe(`cannot write ${join(file, "bench.html")}: ${file} is a file, not a folder\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(existsSync(join(tmp, "new"))).toBe(false);
  });

  it("takes --warmup 0 (no untimed repetitions) and refuses a negative one as a usage error (issue 26, item 13)", () => {
    const r = snnc(["bench", "models/tiny.json", "--backend", "cpu", "--batch", "4", "--reps", "1", "--warmup", "0", "--no-peer", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reps: 1, warmup: 0 });
    const bad = snnc(["bench", "models/tiny.json", "--warmup", "-1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a whole number ≥ 0, got "-1"');
  });

  it("refuses a bad --sweep and a run with no spec, in one sentence", () => {
    const bad = snnc(["bench", "models/tiny.json", "--sweep", "tau=1,2"]);
    expect(bad.code).toBe(2); // a usage error, like any bad option value (issue 26, item 10)
    expect(bad.stderr).toContain("--sweep takes hidden=N,N,…");
    const none = snnc(["bench"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("bench needs a spec file or --preset");
  });
});
