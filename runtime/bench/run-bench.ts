// One bench configuration end to end: the input batch, the activity calibration, sparse and dense
// timings, plan and device memory, the PyTorch peer; plus the sweep's variant networks and the
// machine description that goes into the JSON.

import { execSync, spawnSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import type { Network } from "../../compiler/ir/types.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { planOptionsFor } from "../../compiler/backends/plan-options.ts";
import { checkSpecText, SpecError } from "../../compiler/spec/index.ts";
import type { SpikeBatch } from "../data/spike-batch.ts";
import type { OpenedNetwork } from "../model/open-model.ts";
import { summariseMemory, type MemorySummary } from "../cli/memory.ts";
import { backwardRatios, benchTrainStep, type StepTiming } from "./bench.ts";
import { activityNote, applyCalibration, calibrateActivity, type ActivityTarget, type Calibration } from "./calibrate.ts";
import { memorySaved, phases, speedups, type Phases, type Speedups } from "./summary.ts";
import { sliceBatch } from "./synthetic-batch.ts";
import { runTorchPeer, type PeerResult } from "./torch-peer.ts";
import { rooflineRows, stepTraffic, type Bandwidth, type RooflineRow, type StepActivity } from "./roofline.ts";

export const BENCH_FORMAT = "snnc-bench/2";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** 1-minute load average when the run started and ended: above the core count, other work shared the CPUs and timings are noisy. */
  load: { start: number; end?: number };
  gpu?: { name: string; driver: string; memory: string }[];
}

export function machineInfo(): Machine {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const m = /^Model name:\s*(.+)$/m.exec(execSync("lscpu", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    if (m) cpu = m[1].trim();
  } catch {
    /* lscpu missing: os.cpus() is enough */
  }
  const out: Machine = { cpu, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, load: { start: loadavg()[0] } };
  const r = spawnSync("nvidia-smi", ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"], { encoding: "utf8" });
  if (r.status === 0 && r.stdout.trim())
    out.gpu = r.stdout
      .trim()
      .split("\n")
      .map((line) => {
        const [name, driver, memory] = line.split(",").map((s) => s.trim());
        return { name, driver, memory };
      });
  return out;
}

export interface Sweep {
  param: "hidden";
  values: number[];
}

/** `hidden=200,400,600` → {param: "hidden", values: [200, 400, 600]}; throws a sentence otherwise. */
export function parseSweep(text: string): Sweep {
  const m = /^\s*hidden\s*=\s*(.+)$/.exec(text);
  if (!m) throw new Error(`--sweep takes hidden=N,N,… (e.g. hidden=200,400,600), got "${text}"`);
  const values = m[1].split(",").map((s) => s.trim());
  const bad = values.find((v) => !/^\d+$/.test(v) || Number(v) < 1);
  if (bad !== undefined) throw new Error(`--sweep hidden: "${bad}" is not a positive integer`);
  return { param: "hidden", values: values.map(Number) };
}

/** The spec file with every dense layer resized to `hidden`, named `<name>-h<hidden>` (its own
 *  generated folder), validated and lowered like any spec. The original size keeps the name. */
export function hiddenVariant(specPath: string, hidden: number): Network {
  const raw = JSON.parse(readFileSync(specPath, "utf8")) as { name: string; layers: { kind: string; size?: number }[] };
  const sizes = raw.layers.filter((l) => l.kind === "dense").map((l) => l.size);
  if (sizes.length === 0) throw new Error(`${specPath}: no dense layer to resize for --sweep hidden`);
  if (!sizes.every((s) => s === hidden)) {
    raw.name = `${raw.name}-h${hidden}`;
    for (const l of raw.layers) if (l.kind === "dense") l.size = hidden;
  }
  const result = checkSpecText(JSON.stringify(raw), `${specPath} (hidden=${hidden})`);
  if (!result.ok) throw new SpecError(result.problems);
  return lowerSpec(result.spec);
}

export interface ConfigOptions {
  batch: number;
  reps: number;
  warmup: number;
  /** Target activity, or null to time the network as initialised. */
  activity: ActivityTarget | null;
  /** Samples the calibration's forward passes use (default min(batch, 16)). */
  calibrationBatch?: number;
  peer: boolean;
  peerReps?: number;
  /** The roofs of the kernel table (measured bandwidth, nominal flop peak); absent: no % column. */
  roofs?: Roofs;
  say?: (line: string) => void;
  onRep?: (mode: string, k: number, n: number) => void;
}

export interface Roofs {
  bandwidth: Bandwidth | null;
  /** The cache read bandwidth the kernels' threads reach (runtime/bench/cache-bandwidth.ts); absent
   *  in results from before it was measured. */
  cache?: Bandwidth | null;
  peak: { gflops: number; how: string } | null;
  /** Threads of the CPU kernels (their per-thread gradient copies enter the model). */
  threads: number;
}

export interface LayerActivityRow {
  id: string;
  activeFraction: number;
  spikeRate: number;
}

export interface ConfigResult {
  model: string;
  /** Neurons per hidden layer. */
  hidden: number[];
  steps: number;
  batch: number;
  input: string;
  activity: {
    target: ActivityTarget | null;
    calibration: Calibration | null;
    /** Per hidden layer, mean over the timed sparse reps. */
    layers: LayerActivityRow[];
    activeFraction: number;
    spikeRate: number;
    representative: boolean;
    note: string;
  };
  sparse: StepTiming;
  dense: StepTiming;
  phases: { sparse: Phases; dense: Phases };
  speedup: Speedups;
  ratios: ReturnType<typeof backwardRatios>;
  /** Per timed kernel: the traffic model's must-touch MB and GFLOP at the sparse reps' activity
   * against its median time (runtime/bench/roofline.ts, docs/performance.md). */
  roofline: { sparse: RooflineRow[]; dense: RooflineRow[] };
  memory: {
    plan: MemorySummary;
    /** 100·(1 − sparse/dense) of the backward-only plan bytes and of the whole step's plan bytes. */
    backwardSavedPct: number;
    totalSavedPct: number;
    /** Bytes the models held after the timed reps (device memory on CUDA, host on the CPU), the
     *  scratch outside the plan included (CPU gradient copies, the CUDA conv scratch). */
    held: { sparse: number; dense: number; savedPct: number };
  };
  peer: PeerResult | null;
}

export function benchConfig(opened: OpenedNetwork, batch: SpikeBatch, input: string, opts: ConfigOptions): ConfigResult {
  const net = opened.network;
  const say = opts.say ?? (() => {});
  let calibration: Calibration | null = null;
  if (opts.activity) {
    const nCal = Math.min(opts.calibrationBatch ?? 16, batch.batch);
    const calModel = opened.create({ batch: nCal });
    try {
      calibration = calibrateActivity(calModel, sliceBatch(batch, nCal), opts.activity);
    } finally {
      calModel.dispose();
    }
    say(
      `  calibrated to ${(100 * opts.activity.activeFraction).toFixed(2)}% active, ${opts.activity.spikeRate} spikes/neuron/step: ` +
        calibration.layers.map((c) => `${c.weight} × ${c.gain.toFixed(2)} shifted ${c.shift.toFixed(3)}·bound`).join(", ") +
        ` (${calibration.forwards} forward passes on ${nCal} samples)`,
    );
  }
  const timings = {} as Record<"sparse" | "dense", StepTiming>;
  let weights = new Map<string, Float32Array>();
  let layerRows: LayerActivityRow[] = [];
  for (const mode of ["sparse", "dense"] as const) {
    const model = opened.create({ batch: batch.batch, backward: mode });
    try {
      if (calibration) applyCalibration(model, calibration);
      if (mode === "sparse") weights = new Map(model.weightNames.map((n) => [n, model.getWeights(n)]));
      const seen: LayerActivityRow[][] = [];
      timings[mode] = benchTrainStep(model, batch, {
        warmup: opts.warmup,
        reps: opts.reps,
        onRep: (k, n) => {
          const s = model.stats;
          if (s) seen.push(s.layers.map((l) => ({ id: l.id, activeFraction: l.activeFraction, spikeRate: l.spikeRate })));
          opts.onRep?.(mode, k, n);
        },
      });
      if (mode === "sparse") layerRows = meanRows(seen);
    } finally {
      model.dispose();
    }
  }
  const note = activityNote(layerRows);
  // The plan the addon was built from (a time-parallel build holds its currents too).
  const kernelPlan = buildPlan(net, batch.batch, planOptionsFor(opened.backend, { timeParallel: opened.timeParallel }));
  const plan = summariseMemory(kernelPlan);
  const activity = stepActivity(kernelPlan, batch, layerRows, opts.roofs?.threads ?? 1);
  const roof = (mode: "sparse" | "dense") =>
    rooflineRows(timings[mode].kernels, stepTraffic(kernelPlan, timings[mode].kernels.map(([n]) => n), mode, activity), opts.roofs?.bandwidth ?? null, opts.roofs?.peak?.gflops ?? null, opts.roofs?.cache ?? null);
  const ph = { sparse: phases(timings.sparse), dense: phases(timings.dense) };
  let peer: PeerResult | null = null;
  if (opts.peer) {
    say(`  PyTorch peer (bench/peers/torch_bptt.py) on the same batch and weights…`);
    peer = runTorchPeer(net, batch, weights, { reps: opts.peerReps ?? Math.min(opts.reps, 5), warmup: 1 });
    if ("skipped" in peer) say(`  ${peer.skipped}`);
  }
  return {
    model: net.name,
    hidden: net.layers.filter((l) => l.kind === "dense" || l.kind === "conv").map((l) => l.nOut),
    steps: net.steps,
    batch: batch.batch,
    input,
    activity: {
      target: opts.activity,
      calibration,
      layers: layerRows,
      activeFraction: mean(layerRows.map((l) => l.activeFraction)),
      spikeRate: mean(layerRows.map((l) => l.spikeRate)),
      representative: note.representative,
      note: note.text,
    },
    sparse: timings.sparse,
    dense: timings.dense,
    phases: ph,
    speedup: speedups(ph.sparse, ph.dense),
    ratios: backwardRatios(timings.sparse, timings.dense),
    roofline: { sparse: roof("sparse"), dense: roof("dense") },
    memory: {
      plan,
      backwardSavedPct: memorySaved(plan.sparse.backwardOnly, plan.dense.backwardOnly),
      totalSavedPct: memorySaved(plan.sparse.total, plan.dense.total),
      held: { sparse: timings.sparse.bufferBytes, dense: timings.dense.bufferBytes, savedPct: memorySaved(timings.sparse.bufferBytes, timings.dense.bufferBytes) },
    },
    peer,
  };
}

/** The counts of one step the traffic model needs: the batch's input events and, per spiking
 * layer, spikes and active neuron-times from the sparse reps' mean rates. */
export function stepActivity(plan: ReturnType<typeof buildPlan>, batch: SpikeBatch, rows: LayerActivityRow[], threads: number): StepActivity {
  const T = plan.network.steps;
  const layers = new Map<string, { spikes: number; active: number }>();
  for (const s of plan.stages) {
    if (s.kind !== "lif") continue;
    const r = rows.find((x) => x.id === s.id);
    const cells = batch.batch * T * s.layer.nOut;
    layers.set(s.id, { spikes: (r?.spikeRate ?? 0) * cells, active: (r?.activeFraction ?? 0) * cells });
  }
  return { batch: batch.batch, steps: T, inputEvents: batch.offsets[batch.batch * batch.steps] ?? batch.indices.length, layers, threads };
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Per layer, the mean over reps of the activity rows. */
export function meanRows(reps: LayerActivityRow[][]): LayerActivityRow[] {
  if (reps.length === 0) return [];
  return reps[0].map((l, k) => ({ id: l.id, activeFraction: mean(reps.map((r) => r[k].activeFraction)), spikeRate: mean(reps.map((r) => r[k].spikeRate)) }));
}
