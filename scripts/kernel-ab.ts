// Times one spec's CPU kernels as a base revision emits them (A) against the working tree's (B), in
// one process, in interleaved rounds: the way docs/performance.md's "interleaved medians" are
// measured. On a shared machine whose speed drifts by 20% within minutes, separate `snnc bench`
// runs cannot resolve a change of a few percent; two addons timed turn about in one process can.
// Before timing, both run one forward and backward from the same weights on the same batch and the
// losses, statistics and every gradient are compared bit for bit.
//
//   npx tsx scripts/kernel-ab.ts models/fmnist.json                   # HEAD's kernels against the working tree's
//   npx tsx scripts/kernel-ab.ts models/nmnist.json --base main~3 --rounds 12
//
// The base revision is checked out into a temporary git worktree and built there by its own
// `snnc build`; both addons are then loaded by this tree's runtime, so this is for changes to the
// emitted kernels, not to the addon's interface (a base whose binding differs fails to load or to
// run). The working tree's build is cached in generated/ as usual; the base's is removed at the end.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { PACKAGE_ROOT } from "../compiler/util/package-root.ts";
import { benchBatch } from "../runtime/bench/bench-batch.ts";
import { benchTrainStep, median } from "../runtime/bench/bench.ts";
import { applyCalibration, calibrateActivity, type Calibration } from "../runtime/bench/calibrate.ts";
import { sliceBatch } from "../runtime/bench/synthetic-batch.ts";
import { table } from "../runtime/cli/table.ts";
import type { SpikeBatch } from "../runtime/data/spike-batch.ts";
import { loadAddon, type NativeAddon } from "../runtime/model/native.ts";
import { openNetwork } from "../runtime/model/open-model.ts";
import { SnnModel } from "../runtime/model/snn-model.ts";

interface Flags {
  base: string;
  rounds: number;
  reps: number;
  warmup: number;
  batch?: number;
  backward: "sparse" | "dense";
  data?: string;
  activity: boolean;
}

const positive = (s: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${s}"`);
  return n;
};

function git(args: string[]): string {
  const r = spawnSync("git", ["-C", PACKAGE_ROOT, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

/** The .node file the base revision's `snnc build` made of the spec, copied to `into`. */
function buildBase(rev: string, spec: string, into: string): string {
  const tree = mkdtempSync(join(tmpdir(), "snnc-ab-tree-"));
  try {
    git(["worktree", "add", "--detach", "--quiet", tree, rev]);
    symlinkSync(join(PACKAGE_ROOT, "node_modules"), join(tree, "node_modules"));
    const out = join(tree, "generated", "ab-base");
    process.stderr.write(`building the base's kernels (${rev}) in ${tree}…\n`);
    const r = spawnSync(process.execPath, [join(tree, "bin", "snnc.mjs"), "build", spec, "--backend", "cpu", "--out", out], {
      cwd: tree,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, SNNC_FROM_SOURCE: "1" },
    });
    if (r.status !== 0) throw new Error(`the base revision's snnc build failed (exit ${r.status})`);
    const release = join(out, "build", "Release");
    const node = existsSync(release) ? readdirSync(release).find((f) => f.endsWith(".node")) : undefined;
    if (!node) throw new Error(`the base revision's build left no .node file in ${release}`);
    const copy = join(into, "base.node");
    cpSync(join(release, node), copy);
    return copy;
  } finally {
    spawnSync("git", ["-C", PACKAGE_ROOT, "worktree", "remove", "--force", tree]);
    rmSync(tree, { recursive: true, force: true });
  }
}

/** One forward and backward of each model from the same weights: what differs, or null. */
function compareNumerics(a: SnnModel, b: SnnModel, batch: SpikeBatch): string | null {
  const run = (m: SnnModel) => {
    const stats = m.forwardRaw(batch).slice();
    m.backwardPass();
    const grads = new Float32Array(m.gradientArena().floats);
    m.readGradients(grads);
    return { stats, grads };
  };
  const x = run(a);
  const y = run(b);
  const sameBytes = (p: ArrayBufferView, q: ArrayBufferView) =>
    p.byteLength === q.byteLength && Buffer.compare(Buffer.from(p.buffer, p.byteOffset, p.byteLength), Buffer.from(q.buffer, q.byteOffset, q.byteLength)) === 0;
  const problems: string[] = [];
  if (!sameBytes(x.stats, y.stats)) {
    const k = x.stats.findIndex((v, i) => !Object.is(v, y.stats[i]));
    problems.push(`the forward's statistics differ (slot ${k} of ${x.stats.length}: ${x.stats[k]} against ${y.stats[k]})`);
  }
  if (!sameBytes(x.grads, y.grads)) {
    let worst = 0;
    let count = 0;
    for (let k = 0; k < Math.min(x.grads.length, y.grads.length); k++) {
      if (Object.is(x.grads[k], y.grads[k])) continue;
      count++;
      worst = Math.max(worst, Math.abs(x.grads[k] - y.grads[k]));
    }
    problems.push(`${count} of ${x.grads.length} gradient entries differ (largest |Δ| ${worst.toExponential(2)})`);
  }
  return problems.length ? problems.join("; ") : null;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command("kernel-ab")
    .argument("<spec>", "spec file")
    .option("--base <rev>", "git revision whose templates make A", "HEAD")
    .option("--rounds <n>", "rounds; each times the two models of A and of B once, in alternating order", positive, 8)
    .option("--reps <n>", "timed steps per model and round", positive, 10)
    .option("--warmup <n>", "untimed steps first in each round", positive, 2)
    .option("--batch <n>", "batch size (default: the spec's)", positive)
    .option("--backward <path>", "sparse or dense", "sparse")
    .option("--data <dir>", "dataset folder (N-MNIST, SHD); without it, random spikes at the data set's typical density")
    .option("--no-activity", "leave the weights as initialised instead of calibrating to ~1% active (as snnc bench does)");
  program.parse(argv);
  const flags = program.opts<Flags>();
  if (flags.backward !== "sparse" && flags.backward !== "dense") throw new Error(`--backward is sparse or dense, got "${flags.backward}"`);
  const spec = resolve(program.args[0]);
  const rev = git(["rev-parse", "--verify", "--short", `${flags.base}^{commit}`]);

  const scratch = mkdtempSync(join(tmpdir(), "snnc-ab-"));
  try {
    const basePath = buildBase(rev, spec, scratch);
    const opened = await openNetwork(spec, { backend: "cpu" });
    const net = opened.network;
    const addons: [string, NativeAddon][] = [
      [`A: the kernels of ${rev} (${flags.base})`, loadAddon(basePath)],
      ["B: the working tree's kernels", opened.addon],
    ];
    const B = flags.batch ?? net.training.batch;
    const input = await benchBatch(net, B, flags.data);
    let calibration: Calibration | null = null;
    if (flags.activity) {
      const samples = Math.min(16, B);  // as snnc bench calibrates
      const probe = new SnnModel(net, opened.addon, { batch: samples });
      try {
        calibration = calibrateActivity(probe, sliceBatch(input.batch, samples));
      } finally {
        probe.dispose();
      }
    }
    // Two models of each build, made in the order A, B, B, A. Where a model's buffers land can move
    // a kernel by 10% (seen on this project's VM: one model's backward steadily slower than another's
    // of the same code); with two of each, that placement noise is measured (A vs A) and shared out.
    const build = [0, 1, 1, 0];  // which build (A 0, B 1) each model runs
    const models = build.map((k) => {
      const m = new SnnModel(net, addons[k][1], { batch: B, backward: flags.backward });
      if (calibration) applyCalibration(m, calibration);
      return m;
    });
    try {
      for (const m of models.slice(1)) for (const name of models[0].weightNames) m.setWeights(name, models[0].getWeights(name));
      const reset = new Map(models[0].weightNames.map((n) => [n, models[0].getWeights(n)]));
      const differs = compareNumerics(models[0], models[1], input.batch);
      for (const m of models) for (const [n, w] of reset) m.setWeights(n, w);

      // Per model: the step's and each kernel's median of every round.
      const steps: number[][] = models.map(() => []);
      const kernels: Map<string, number[]>[] = models.map(() => new Map());
      for (let r = 0; r < flags.rounds; r++) {
        for (const k of r % 2 === 0 ? [0, 1, 2, 3] : [3, 2, 1, 0]) {
          const t = benchTrainStep(models[k], input.batch, { warmup: flags.warmup, reps: flags.reps });
          steps[k].push(t.stepMs.median);
          for (const [name, ms] of t.kernels) kernels[k].set(name, [...(kernels[k].get(name) ?? []), ms]);
        }
        if (process.stderr.isTTY) process.stderr.write(`round ${r + 1}/${flags.rounds}\r`);
      }
      if (process.stderr.isTTY) process.stderr.write("\x1b[K");
      const pct = (a: number, b: number) => `${b >= a ? "+" : ""}${((100 * (b - a)) / a).toFixed(1)}%`;
      const ofBuild = (per: number[][], k: number) => per.filter((_, m) => build[m] === k).flat();
      const row = (name: string, per: number[][]) => {
        const a = median(ofBuild(per, 0));
        const b = median(ofBuild(per, 1));
        return [name, a.toFixed(3), b.toFixed(3), pct(a, b), pct(median(per[0]), median(per[3])), pct(median(per[1]), median(per[2]))];
      };
      const kernelRows = [...kernels[0].keys()].map((n) => row(n, kernels.map((m) => m.get(n) ?? [NaN])));
      const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
      process.stdout.write(
        [
          `${net.name}: batch ${B}, ${flags.backward} backward, input ${input.source}${calibration ? ", calibrated to ~1% active" : ""}`,
          ...addons.map(([label]) => label),
          `numerics (one forward + backward from the same weights): ${differs ?? "identical (loss, statistics and every gradient, bit for bit)"}`,
          `two models of each build, timed in turn (A, B, B, A, then the reverse) over ${flags.rounds} rounds, each the median of ${flags.reps} steps after ${flags.warmup} warm-up; ` +
            `per-round step medians A ${spread(ofBuild(steps, 0))} ms, B ${spread(ofBuild(steps, 1))} ms`,
          "A ms and B ms: medians over both models of the build. A vs A, B vs B: a build's second model against its first, the same code: a change within those is noise.",
          table(
            ["", { header: "A ms", align: "right" }, { header: "B ms", align: "right" }, { header: "B vs A", align: "right" }, { header: "A vs A", align: "right" }, { header: "B vs B", align: "right" }],
            [row("step (wall)", steps), ...kernelRows],
            { indent: "  " },
          ),
          "",
        ].join("\n"),
      );
    } finally {
      for (const m of models) m.dispose();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main(process.argv).catch((e) => {
  process.stderr.write(`kernel-ab: ${(e as Error).message}\n`);
  process.exit(1);
});
