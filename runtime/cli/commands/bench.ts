// `snnc bench <spec…>`: one training step (forward + loss + backward + Adam) timed on the chosen
// backend, sparse against dense, at realistic activity (docs/design.md §4: the hidden layers' weights are
// calibrated to ~1% active, 0.015 spikes per neuron per step unless --activity says otherwise),
// with forward/backward/step times, speed-ups, memory, the PyTorch peer in the same run, optional
// sweeps over the hidden size and an HTML plot. Timing lives here, never in a test's pass/fail.
// Under an MPI launcher it times the data-parallel step and its gradient reduce instead (bench-ranks.ts).

import { join } from "node:path";
import type { Command } from "commander";
import { InvalidArgumentError, Option } from "commander";
import type { Network } from "../../../compiler/ir/types.ts";
import { PACKAGE_ROOT } from "../../../compiler/util/package-root.ts";
import type { ActivityTarget } from "../../bench/calibrate.ts";
import { peerBlasText, referenceBlasNote } from "../../bench/peer-blas.ts";
import type { ConfigResult, Machine, Roofs } from "../../bench/run-bench.ts";
import type { SpikeBatch } from "../../data/spike-batch.ts";
import type { BackendChoice } from "../../model/open-model.ts";
import { UsageError } from "../fail.ts";
import { assertTimeParallelBackend, displayPath, nonNegativeInt, positiveInt, timeParallelOption, withSpecFile } from "../options.ts";
import { table } from "../table.ts";
import { stepLaunchFromFlags, stepLaunchOptions, type StepLaunchFlags } from "../step-launch-flags.ts";

interface BenchFlags extends StepLaunchFlags {
  backend: BackendChoice;
  batch?: number;
  reps: number;
  warmup: number;
  data?: string;
  json?: boolean;
  out?: string;
  preset?: string;
  sweep?: string;
  activity: ActivityTarget | null;
  peer: boolean;
  peerReps?: number;
  plot?: string;
  timeParallel?: boolean;
}

const MODELS = join(PACKAGE_ROOT, "models");
export const PRESETS: Record<string, string[]> = { fmnist: ["fmnist"], nmnist: ["nmnist"], shd: ["shd"], paper: ["fmnist", "nmnist", "shd"] };

/** `--activity 0.01` (active fraction; spike-rate target 1.5× it) or `--activity off`. */
export function parseActivity(value: string): ActivityTarget | null {
  if (value === "off" || value === "none") return null;
  const f = Number(value);
  if (!Number.isFinite(f) || f <= 0 || f >= 0.5) throw new InvalidArgumentError(`expected an active fraction in (0, 0.5) such as 0.01, or "off", got "${value}"`);
  return { activeFraction: f, spikeRate: 1.5 * f };
}

export interface BenchJson {
  format: string;
  date: string;
  machine: Machine;
  backend: string;
  /** Built with `--time-parallel` (CUDA, experimental). */
  timeParallel: boolean;
  batch: number | null;
  reps: number;
  warmup: number;
  /** The roofs of the kernel table: this machine's bandwidth measured in the run and its nominal
   * flop peak (CPU backend; null on CUDA, where the host's bandwidth says nothing of the kernels). */
  roofs: Roofs | null;
  configs: ConfigResult[];
}

export function register(program: Command): void {
  program
    .command("bench")
    .description("time one training step, sparse against dense backward, at realistic activity, with a PyTorch peer, sweeps and a plot")
    .argument("[spec...]", "spec files (or --preset)")
    .addOption(new Option("--backend <backend>", "kernel backend").choices(["auto", "cpu", "cuda"]).default("auto"))
    .addOption(timeParallelOption())
    .addOption(new Option("--preset <name>", "the paper's configurations: models/<name>.json at batch 256 (paper = all three)").choices(Object.keys(PRESETS)))
    .addOption(stepLaunchOptions()[0])
    .addOption(stepLaunchOptions()[1])
    .option("--sweep <param=values>", "also time variants, e.g. hidden=200,400,600,800,1000 (every dense layer resized)")
    .option("--activity <frac|off>", "calibrate the hidden layers to this active fraction (spike rate 1.5× it); off: the network as initialised", parseActivity, { activeFraction: 0.01, spikeRate: 0.015 })
    .option("--batch <n>", "batch size (default: the spec's)", positiveInt)
    .option("--reps <n>", "timed repetitions (the median is reported)", positiveInt, 20)
    .option("--warmup <n>", "untimed repetitions first (0: none)", nonNegativeInt, 3)
    .option("--data <dir>", "dataset folder (N-MNIST, SHD; Fashion-MNIST is built in); without it, random spikes at the data set's typical density")
    .option("--no-peer", "do not run the PyTorch peer (bench/peers/torch_bptt.py)")
    .option("--peer-reps <n>", "timed repetitions of the PyTorch peer (default min(reps, 5))", positiveInt)
    .option("--plot <file.html>", "write the results as a self-contained HTML page of SVG charts")
    .option("--json", "print the results as JSON")
    .option("--out <file>", "also write the results as JSON to this file (e.g. runs/<run>/bench.json for the report)")
    .addHelpText(
      "after",
      "\nExamples:\n  snnc bench models/fmnist.json --backend cpu --batch 256\n  snnc bench --preset paper --backend cpu --plot bench.html\n  snnc bench models/shd.json --sweep hidden=200,400,600,800,1000 --activity 0.01",
    )
    .action(async (specs: string[], flags: BenchFlags) => {
      assertTimeParallelBackend(flags.timeParallel, flags.backend);
      const plan = stepLaunchFromFlags(flags, flags.backend);
      const { joinWorld } = await import("../../mpi/world.ts");
      const world = await joinWorld();
      const { benchBatch } = await import("../../bench/bench-batch.ts");
      if (world.size > 1) {
        // Under mpirun/srun: time the data-parallel step and its gradient reduce (runtime/cli/bench-ranks.ts).
        if (flags.sweep || flags.plot || flags.timeParallel || plan.stepGraph || plan.overlapUpload)
          throw new UsageError("under an MPI launcher snnc bench times the data-parallel step only; --sweep, --plot, --time-parallel, --step-graph and --overlap-upload are for one process");
        const ranksFiles = [...specs, ...(flags.preset ? PRESETS[flags.preset].map((m) => displayPath(join(MODELS, `${m}.json`))) : [])];
        if (ranksFiles.length === 0) throw new UsageError("bench needs a spec file or --preset (fmnist, nmnist, shd, paper)");
        const { benchRanks } = await import("../bench-ranks.ts");
        await benchRanks(ranksFiles, { ...flags, batch: flags.batch ?? (flags.preset ? 256 : undefined) }, world, benchBatch);
        world.finalize();
        return;
      }
      const { openLoweredNetwork } = await import("../../model/open-model.ts");
      const { loadNetwork, sourceLabel } = await import("../../../compiler/pipeline.ts");
      const { benchConfig, hiddenVariant, machineInfo, parseSweep, BENCH_FORMAT } = await import("../../bench/run-bench.ts");
      const { findTorchPython } = await import("../../bench/torch-peer.ts");
      const { benchPlotHtml } = await import("../../bench/plot.ts");
      const { writeFileAtomic } = await import("../../../compiler/util/atomic-write.ts");
      const say = (s: string) => (flags.json ? process.stderr : process.stdout).write(`${s}\n`);
      const files = [...specs, ...(flags.preset ? PRESETS[flags.preset].map((m) => displayPath(join(MODELS, `${m}.json`))) : [])];
      if (files.length === 0) throw new UsageError("bench needs a spec file or --preset (fmnist, nmnist, shd, paper)");
      let sweep: ReturnType<typeof parseSweep> | null = null;
      try {
        sweep = flags.sweep ? parseSweep(flags.sweep) : null;
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      // The results are written after minutes of timing: a path they cannot go to is said now.
      const { checkWritable } = await import("../../../compiler/util/check-writable.ts");
      for (const path of [flags.out, flags.plot]) if (path !== undefined) checkWritable(path);
      const batchSize = flags.batch ?? (flags.preset ? 256 : undefined);
      let peer = flags.peer;
      if (peer) {
        const found = findTorchPython();
        if ("skipped" in found) {
          say(found.skipped);
          peer = false;
        } else say(`PyTorch peer: ${found.python} (bench/peers/torch_bptt.py)`);
      }
      const machine = machineInfo();
      say(`machine: ${machine.cpu}, ${machine.cores} cores${machine.gpu ? `, ${machine.gpu.map((g) => `${g.name} (driver ${g.driver})`).join(", ")}` : ""}`);
      const configs: ConfigResult[] = [];
      let backend = "";
      let roofs: Roofs | null = null;
      for (const file of files) {
        const networks: Network[] = withSpecFile(file, () => (sweep ? sweep.values.map((h) => hiddenVariant(file, h)) : [loadNetwork(file)]));
        let input: { batch: SpikeBatch; source: string } | null = null;
        for (const net of networks) {
          const opened = await withSpecFile(file, () =>
            openLoweredNetwork(net, sourceLabel(file), {
              backend: flags.backend,
              timeParallel: flags.timeParallel,
              plan,
              onBuild: (e) => e.phase === "done" && !e.reused && say(`built the ${e.backend} kernels of ${net.name} in ${e.seconds?.toFixed(1)} s`),
            }),
          );
          backend = opened.backend;
          if (opened.backend === "cpu" && !roofs) {
            const { measureBandwidth, nominalPeakGflops } = await import("../../bench/bandwidth.ts");
            const threads = Number(process.env.OMP_NUM_THREADS) > 0 ? Number(process.env.OMP_NUM_THREADS) : machine.cores;
            const bandwidth = await measureBandwidth({ threads });
            const { measureCacheBandwidth } = await import("../../bench/cache-bandwidth.ts");
            const cache = measureCacheBandwidth(opened.addon);
            roofs = { bandwidth, cache, peak: nominalPeakGflops(machine.cores), threads };
            say(`memory bandwidth: ${bandwidth.gbPerS.toFixed(1)} GB/s (${bandwidth.how})`);
            if (cache) say(`L2 read bandwidth: ${cache.gbPerS.toFixed(1)} GB/s (${cache.how})`);
          }
          const B = batchSize ?? net.training.batch;
          input ??= await benchBatch(net, B, flags.data);
          say(`${net.name} on ${opened.backend}${opened.timeParallel ? " (time-parallel currents, not yet verified on a GPU)" : ""}: batch ${B}, T=${net.steps}, hidden ${net.layers.filter((l) => l.kind === "dense" || l.kind === "conv").map((l) => l.nOut).join("-")}, input: ${input.source}`);
          const result = benchConfig(opened, input.batch, input.source, {
            batch: B,
            reps: flags.reps,
            warmup: flags.warmup,
            activity: flags.activity,
            roofs: roofs ?? undefined,
            peer,
            peerReps: flags.peerReps,
            say,
            onRep: (mode, k, n) => process.stderr.isTTY && process.stderr.write(`\r  ${mode}: ${k}/${n}${k === n ? "\r\x1b[K" : ""}`),
          });
          say(`  ran at: ${result.activity.note}`);
          configs.push(result);
        }
      }
      machine.load.end = (await import("node:os")).loadavg()[0];
      if (Math.max(machine.load.start, machine.load.end) > machine.cores)
        say(`note: the load average was ${machine.load.start.toFixed(1)} at the start and ${machine.load.end.toFixed(1)} at the end on ${machine.cores} cores: other work shared the CPUs, so these timings are noisy`);
      const json: BenchJson = { format: BENCH_FORMAT, date: new Date().toISOString(), machine, backend, timeParallel: flags.timeParallel === true, batch: batchSize ?? null, reps: flags.reps, warmup: flags.warmup, roofs, configs };
      if (flags.out) writeFileAtomic(flags.out, `${JSON.stringify(json, null, 2)}\n`);
      if (flags.plot) {
        writeFileAtomic(flags.plot, benchPlotHtml({ machine, backend, batch: batchSize ?? configs[0].batch, date: json.date, configs }));
        say(`wrote ${flags.plot}`);
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      process.stdout.write(benchText(json));
    });
}

const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(1) : x.toFixed(3)) : "–");
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "–");

/** (p90 − p10) / median of the reps' step times. */
const stepSpread = (t: { median: number; p10: number; p90: number }) => (t.p90 - t.p10) / t.median;
/** Above this spread the text says the step time was unsteady (a busy machine, or one whose speed drifts). */
const UNSTEADY_SPREAD = 0.15;

/** The human-readable tables of a bench result. */
export function benchText(r: BenchJson): string {
  const cs = r.configs;
  const peerStep = (c: ConfigResult) => (c.peer && !("skipped" in c.peer) ? c.peer : null);
  let out =
    `\nOne training step (forward + loss + backward + Adam) on ${r.backend}, ${r.machine.cpu} (${r.machine.cores} cores); ` +
    `median of ${r.reps} after ${r.warmup} warm-up; forward and backward are per-kernel medians, step is wall time:\n` +
    table(
      [
        "model",
        { header: "batch", align: "right" },
        { header: "active %", align: "right" },
        { header: "spikes/n/step", align: "right" },
        { header: "fwd ms", align: "right" },
        { header: "bwd sparse", align: "right" },
        { header: "bwd dense", align: "right" },
        { header: "bwd ×", align: "right" },
        { header: "step sparse", align: "right" },
        { header: "p10–p90", align: "right" },
        { header: "step dense", align: "right" },
        { header: "step ×", align: "right" },
        { header: "PyTorch step", align: "right" },
        { header: "vs PyTorch", align: "right" },
        { header: "bwd mem saved", align: "right" },
      ],
      cs.map((c) => {
        const p = peerStep(c);
        return [
          c.model,
          String(c.batch),
          `${(100 * c.activity.activeFraction).toFixed(2)}${c.activity.representative ? "" : " (!)"}`,
          c.activity.spikeRate.toFixed(4),
          ms(c.phases.sparse.forwardMs),
          ms(c.phases.sparse.backwardMs),
          ms(c.phases.dense.backwardMs),
          times(c.speedup.backward),
          ms(c.phases.sparse.stepMs),
          `${ms(c.sparse.stepMs.p10)}–${ms(c.sparse.stepMs.p90)}`,
          ms(c.phases.dense.stepMs),
          times(c.speedup.step),
          p ? ms(p.stepMs) : "skipped",
          p ? times(p.stepMs / c.phases.sparse.stepMs) : "–",
          `${c.memory.backwardSavedPct.toFixed(1)}%`,
        ];
      }),
      { indent: "  " },
    );
  if (cs.some((c) => !c.activity.representative))
    out += `\n  (!) below 0.1% active: the sparse/dense ratio is not representative of a trained network (docs/design.md §4)`;
  const unsteady = cs.filter((c) => stepSpread(c.sparse.stepMs) > UNSTEADY_SPREAD);
  if (unsteady.length)
    out +=
      `\n  The sparse step's time varied by more than ${100 * UNSTEADY_SPREAD}% over the reps (p10–p90 of the median: ${unsteady.map((c) => `${c.model} ${(100 * stepSpread(c.sparse.stepMs)).toFixed(0)}%`).join(", ")}): ` +
      `two runs may differ by as much without any change, so compare kernel changes in one process (scripts/kernel-ab.ts)`;
  const peers = cs.filter((c) => peerStep(c));
  const first = peers.length ? peerStep(peers[0])! : null;
  const blasNote = referenceBlasNote(first?.blas);
  if (first)
    out +=
      `\n\nPyTorch BPTT peer (same batch, inputs and weights; ${first.torch}, ${first.device}, ${first.threads} threads${peerBlasText(first.blas)}, ${first.mode}):\n` +
      table(
        ["model", { header: "forward ms", align: "right" }, { header: "backward ms", align: "right" }, { header: "step ms", align: "right" }, { header: "reps", align: "right" }],
        peers.map((c) => {
          const p = peerStep(c)!;
          return [c.model, ms(p.forwardMs), ms(p.backwardMs), ms(p.stepMs), String(p.reps)];
        }),
        { indent: "  " },
      ) +
      (blasNote ? `\n  ${blasNote}` : "");
  const skipped = cs.find((c) => c.peer && "skipped" in c.peer);
  if (skipped && skipped.peer && "skipped" in skipped.peer) out += `\n${skipped.peer.skipped}\n`;
  out +=
    `\n\nMemory (plan bytes at the batch; held = what the model allocated after the reps, scratch outside the plan included (${r.backend === "cuda" ? "device memory: the conv scratch" : "per-thread gradient copies"})):\n` +
    table(
      [
        "model",
        { header: "bwd-only sparse MiB", align: "right" },
        { header: "bwd-only dense MiB", align: "right" },
        { header: "saved", align: "right" },
        { header: "step sparse MiB", align: "right" },
        { header: "step dense MiB", align: "right" },
        { header: "saved", align: "right" },
        { header: "held sparse MiB", align: "right" },
        { header: "held dense MiB", align: "right" },
      ],
      cs.map((c) => {
        const m = c.memory;
        const mib = (b: number) => (b / 2 ** 20).toFixed(1);
        return [c.model, mib(m.plan.sparse.backwardOnly), mib(m.plan.dense.backwardOnly), `${m.backwardSavedPct.toFixed(1)}%`, mib(m.plan.sparse.total), mib(m.plan.dense.total), `${m.totalSavedPct.toFixed(1)}%`, mib(m.held.sparse), mib(m.held.dense)];
      }),
      { indent: "  " },
    );
  if (cs.length === 1) {
    const c = cs[0];
    out +=
      `\n\nBackward per layer:\n` +
      table(
        ["layer", { header: "sparse ms", align: "right" }, { header: "dense ms", align: "right" }, { header: "sparse/dense", align: "right" }],
        c.ratios.map((x) => [x.layer, ms(x.sparseMs), ms(x.denseMs), x.ratio.toFixed(3)]),
        { indent: "  " },
      ) +
      `\n\n${roofNote(r)}` +
      (["sparse", "dense"] as const).map((mode) => `\n\nKernels (${mode} path):\n` + kernelTable(c, mode)).join("");
  }
  return out.endsWith("\n") ? out : `${out}\n`;
}

/** What the kernel table's roofline columns mean, with the roofs this run measured. */
function roofNote(r: BenchJson): string {
  const bw = r.roofs?.bandwidth;
  const cache = r.roofs?.cache;
  const peak = r.roofs?.peak;
  return (
    `Roofline per kernel (runtime/bench/roofline.ts): MB = the bytes the kernel must touch at this activity, each tensor once (the floor; ` +
    `"streamed MB" counts a weight row once per use, through the caches), GFLOP likewise; GB/s = MB / ms, streamed GB/s = streamed MB / ms.\n` +
    (bw ? `Bandwidth: ${bw.gbPerS.toFixed(1)} GB/s measured in this run (${bw.how}); % of BW = GB/s of it.\n` : `No bandwidth measured (${r.backend} backend): no % column.\n`) +
    (cache
      ? `L2: ${cache.gbPerS.toFixed(1)} GB/s measured in this run (${cache.how}); % of L2 = streamed GB/s of it (above 100%: the rows came from L1).\n`
      : `No L2 bandwidth measured: no % of L2 column.\n`) +
    (peak
      ? `Bound: whichever takes longest of MB at the memory bandwidth (memory)${cache ? ", streamed MB at the L2 bandwidth (cache)" : ""} and GFLOP at the ${peak.gflops.toFixed(0)} GFLOP/s peak (${peak.how}; compute).`
      : `Bound: –, no flop peak known.`)
  );
}

function kernelTable(c: ConfigResult, mode: "sparse" | "dense"): string {
  const timing = c[mode];
  const rows = new Map((c.roofline?.[mode] ?? []).map((x) => [x.kernel, x]));
  const f = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : "–");
  return table(
    [
      "kernel",
      { header: "ms", align: "right" },
      { header: "MB", align: "right" },
      { header: "streamed MB", align: "right" },
      { header: "GFLOP", align: "right" },
      { header: "GB/s", align: "right" },
      { header: "% of BW", align: "right" },
      { header: "streamed GB/s", align: "right" },
      { header: "% of L2", align: "right" },
      "bound",
    ],
    timing.kernels.map(([n, t]) => {
      const x = rows.get(n);
      if (!x) return [n, ms(t), "–", "–", "–", "–", "–", "–", "–", "–"];
      const pct = (p: number | null | undefined) => (p === null || p === undefined ? "–" : `${f(p, 1)}%`);
      // Results saved before the cache roof have no streamed GB/s: it follows from the row.
      const streamed = x.streamedGbPerS ?? (t > 0 ? x.streamedMb / t : NaN);
      return [n, ms(t), f(x.mb, 3), f(x.streamedMb, 3), f(x.gflop, 4), f(x.gbPerS, 2), pct(x.pctOfBandwidth), f(streamed, 1), pct(x.pctOfCache), x.bound ?? "–"];
    }),
    { indent: "  " },
  );
}
