// The GPU check, bundled into .gpu/check.mjs by pack.ts and run on the GPU machine by run.sh:
//   numerics  CUDA against the float64 reference (random specs) and against the CPU backend
//             (every case): identical spikes, gradients within 1e-4 relative; the `+graph` cases
//             (--step-graph --overlap-upload) also over consecutive training steps
//             (step-launch-check.ts); AdamW with clipping against its float64 formulas
//             (test/backends/optimizer-step-check.ts)
//   sanitize  a short training run for compute-sanitizer (memcheck, racecheck)
//   bench     the timing table: one training step, sparse and dense, per-kernel times, memory

import { readFileSync, writeFileSync } from "node:fs";
import type { Network } from "../../compiler/ir/types.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { planOptionsFor } from "../../compiler/backends/plan-options.ts";
import { summariseMemory } from "../../runtime/cli/memory.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import { loadAddon, type NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { backwardRatios, benchTrainStep, type StepTiming } from "../../runtime/bench/bench.ts";
import { randomSpikeBatch, sliceBatch } from "../../runtime/bench/synthetic-batch.ts";
import { activityNote, applyCalibration, calibrateActivity } from "../../runtime/bench/calibrate.ts";
import { checkNumerics } from "../../test/backends/numerics-check.ts";
import { cudaMatchesCpu, cudaVsCpu, vsCpuDensity } from "../../test/backends/cuda-vs-cpu.ts";
import { stepLaunchCheck, type StepLaunchResult } from "./step-launch-check.ts";
import { optimizerStepCheck } from "../../test/backends/optimizer-step-check.ts";
import { packBatch, type SpikeSample } from "../../runtime/data/spike-batch.ts";
import type { StepLaunchOptions } from "../../compiler/plan/plan-options.ts";

interface PackedCase {
  name: string;
  kind: "shipped" | "random" | "vs-cpu";
  seed: number;
  network: Network;
  benchBatch?: string;
  density?: number;
  /** `<name>+tp`: the CUDA addon has the time-parallel forward (`--time-parallel`). */
  timeParallel?: boolean;
  /** Step launch options its CUDA addon was built with (the `+graph` cases; the CPU addon has none). */
  plan?: StepLaunchOptions;
  /** AdamW with clipping: one step checked against the float64 formulas too. */
  optimizer?: boolean;
}

const cases: PackedCase[] = JSON.parse(readFileSync("cases.json", "utf8"));
// SNNC_CHECK_DRY_RUN=1 swaps in the CPU addons, to rehearse this script on a machine without a GPU.
const dryRun = process.env.SNNC_CHECK_DRY_RUN === "1";
const addon = (name: string, backend: "cuda" | "cpu"): NativeAddon =>
  loadAddon(`${process.cwd()}/addons/${name}-${dryRun ? "cpu" : backend}.node`);
/** A packed batch, packed again here so it is marked checked (as the training loop's batches are)
 *  and the addon does not walk its events on every step. */
const readBatch = (file: string): SpikeBatch => {
  const j = JSON.parse(readFileSync(`batches/${file}`, "utf8"));
  const samples: SpikeSample[] = Array.from({ length: j.batch }, (_, b) => {
    const times: number[] = [];
    const units: number[] = [];
    for (let t = 0; t < j.steps; t++)
      for (let e = j.offsets[b * j.steps + t]; e < j.offsets[b * j.steps + t + 1]; e++) {
        times.push(t);
        units.push(j.indices[e]);
      }
    return { times: Int32Array.from(times), units: Int32Array.from(units), label: j.labels[b] };
  });
  return packBatch(samples, j.steps, j.inputs);
};
const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toExponential(d) : String(x));
const pad = (s: string | number, n: number) => String(s).padEnd(n);

/** A random conv spec (conv-cases.ts or a conv one of neuron-specs.ts): few inputs, needs dense input. */
const smallConv = (c: PackedCase) => c.kind !== "shipped" && c.network.layers.some((l) => l.kind === "conv");

function numerics(): boolean {
  let ok = true;
  const rows: string[] = [];
  const results: unknown[] = [];
  for (const c of cases) {
    const vsCpu = cudaVsCpu(c.network, addon(c.name, "cuda"), addon(c.name, "cpu"), c.seed, vsCpuDensity(c.network, c.kind === "shipped"));
    let vsRef: ReturnType<typeof checkNumerics> | null = null;
    // (A `+graph` case's kernels are its base case's: the reference check is the base's.)
    if ((c.kind === "random" || c.name === "tiny") && !c.plan) vsRef = checkNumerics(c.network, addon(c.name, "cuda"), c.seed, c.density);
    const optimizer = c.optimizer && !c.plan ? optimizerStepCheck(c.network, addon(c.name, "cuda"), 0.02) : null;
    let steps: StepLaunchResult | null = null;
    if (c.plan) steps = stepLaunchCheck(c.network, addon(c.name, "cuda"), addon(c.name, "cpu"), c.seed, vsCpuDensity(c.network, c.kind === "shipped"), !dryRun);
    const pass =
      cudaMatchesCpu(vsCpu) &&
      (!vsRef || (vsRef.spikeMismatches === 0 && vsRef.sparseGradError <= 1e-4 && vsRef.denseGradError <= 1e-4 && vsRef.maxMembraneError <= 1e-5)) &&
      (!steps || steps.pass) &&
      (!optimizer || optimizer.pass);
    ok &&= pass;
    results.push({ name: c.name, pass, vsCpu, vsRef, steps, optimizer });
    rows.push(
      `${pad(c.name, 22)} ${pad(pass ? "PASS" : "FAIL", 5)} cpu: spikes ${pad(`${vsCpu.spikeMismatches}/${vsCpu.spikes}`, 12)} grad s ${fmt(vsCpu.sparseGrad, 1)} d ${fmt(vsCpu.denseGrad, 1)}` +
        (vsRef ? `  ref: spikes ${vsRef.spikeMismatches} V ${fmt(vsRef.maxMembraneError, 1)} grad s ${fmt(vsRef.sparseGradError, 1)} d ${fmt(vsRef.denseGradError, 1)}` : "") +
        (steps
          ? `  ${steps.steps} steps: spikes ${steps.spikeMismatches}/${steps.spikes} loss ${fmt(steps.lossError, 1)} grad ${fmt(steps.gradError, 1)} adam ${fmt(steps.adamError, 1)}` +
            ` fwd ${fmt(steps.forwardLossError, 1)} regrows ${steps.regrows} captures ${steps.captures}`
          : "") +
        (optimizer ? `  adamw+clip vs float64: w ${fmt(optimizer.worstW, 1)} m,v ${fmt(optimizer.worstMoment, 1)} ‖g‖ ${fmt(optimizer.normError, 1)} clip ${optimizer.coef.toFixed(3)}` : ""),
    );
  }
  writeFileSync("numerics-results.json", JSON.stringify(results, null, 1));
  console.log("== numerics: CUDA vs CPU backend (all cases) and vs the float64 reference (random specs, tiny)");
  for (const r of rows) console.log(r);
  console.log(`numerics: ${ok ? "all passed" : "FAILURES"} (${cases.length} cases)`);
  return ok;
}

function sanitize(): boolean {
  // Dense kernels, then the conv ones: conv → pool → conv, several 512-neuron chunks, W in global
  // memory, dense after flatten, no pool (fmnist-conv itself is timed and checked against the CPU,
  // but too slow under the sanitizers). neurons-9: bias, IF, to_reset and CuBa on hidden layers and
  // the readout at once; neurons-14: the same on conv → pool → conv; rec-neurons-8: the same on
  // recurrent layers and a recurrent spiking readout. sumpool-109: conv → sum-pool → conv →
  // sum-pool → dense (nmnist-conv's shape; it is too slow here too); sumpool-103: a sum-pool 3
  // that leaves rows uncovered, then a conv. `+tp`: the time-parallel forward (currents kernel and
  // scan) on plain layers, every neuron option, a scaled spiking readout and a dense layer above
  // sum-pools. `+graph`: a CUDA graph per step and the overlapped upload.
  for (const name of ["tiny", "random-1", "fmnist", "neurons-9", "random-rec-1", "rec-neurons-8", "random-conv-10-conv2", "random-conv-13-chunks", "random-conv-14-wide-w", "random-conv-9-dense", "random-conv-2", "neurons-14", "sumpool-109", "sumpool-103", "fmnist+tp", "neurons-9+tp", "random-spiking-13+tp", "sumpool-109+tp", "random-1+graph", "fmnist+graph"]) {
    const c = cases.find((x) => x.name === name);
    if (!c) continue;
    const net = c.network;
    const B = Math.min(8, net.training.batch);
    // The small conv specs stay silent at 5% input density: give them enough spikes to exercise
    // the active set, the pool's routing and ∂L/∂S below.
    const density = smallConv(c) ? 0.5 : 0.05;
    const batch = randomSpikeBatch(B, net.steps, net.input.size, net.classes, density, 3);
    for (const mode of ["sparse", "dense"] as const) {
      // A tiny initial active set forces the overflow → grow → rerun path too.
      const m = new SnnModel(net, addon(name, "cuda"), { batch: B, backward: mode, activeCapacity: 0.001 });
      // A `+graph` case: each step hands on the next batch (graph replay, copy stream, swapped inputs).
      const other = c.plan ? randomSpikeBatch(B, net.steps, net.input.size, net.classes, density, 4) : batch;
      const first = m.trainStep(batch, undefined, other);
      m.trainStep(other, undefined, batch);
      const s = m.trainStep(batch);
      m.forward(batch);
      console.log(`${name} ${mode}: loss ${first.loss.toFixed(4)} → ${s.loss.toFixed(4)}, active set grown ${first.regrows} time(s)`);
      m.dispose();
    }
  }
  return true;
}

function bench(): boolean {
  const targets: Record<string, number> = { fmnist: 0.5, nmnist: 1.5, shd: 2.5 };
  const rows: string[] = [];
  const results: unknown[] = [];
  for (const c of cases.filter((x) => x.benchBatch)) {
    const net = c.network;
    const batch = readBatch(c.benchBatch!);
    const timings: Record<string, StepTiming> = {};
    // Realistic activity (docs/design.md §4, as `snnc bench` does): the hidden layers' weights calibrated
    // to ~1% active, ~0.015 spikes/neuron/step on 16 samples; random inputs alone leave N-MNIST
    // and SHD silent.
    const calModel = new SnnModel(net, addon(c.name, "cuda"), { batch: 16 });
    const cal = calibrateActivity(calModel, sliceBatch(batch, 16));
    calModel.dispose();
    let activity = "";
    for (const mode of ["sparse", "dense"] as const) {
      const m = new SnnModel(net, addon(c.name, "cuda"), { backward: mode });
      applyCalibration(m, cal);
      timings[mode] = benchTrainStep(m, batch, { warmup: 10, reps: 50 });
      if (mode === "sparse") activity = activityNote(m.stats?.layers ?? []).text;
      m.dispose();
    }
    const mem = summariseMemory(buildPlan(net, undefined, planOptionsFor("cuda", { timeParallel: c.timeParallel })));
    const ratios = backwardRatios(timings.sparse, timings.dense);
    results.push({ name: c.name, timings, memory: mem, ratios, calibration: cal, activity });
    // A `+tp` case (the time-parallel forward) is held to its base model's target.
    const target = targets[c.name.replace(/\+tp$/, "")];
    // The targets are device time (CUDA events over the step's kernels); the wall time around
    // trainStep also includes uploading and checking the batch's input events.
    rows.push(
      `${pad(c.name, 14)} T=${pad(net.steps, 4)} sparse: device ${pad(timings.sparse.kernelMs.toFixed(3), 6)} ms, wall ${pad(timings.sparse.stepMs.median.toFixed(3), 6)} ms` +
        `  dense: device ${pad(timings.dense.kernelMs.toFixed(3), 6)} ms, wall ${pad(timings.dense.stepMs.median.toFixed(3), 6)} ms` +
        `${target ? `  target ≤ ${target} ms (device): ${timings.sparse.kernelMs <= target ? "met" : "MISSED"}` : ""}` +
        `  active ${(100 * timings.sparse.activeFraction).toFixed(2)}%`,
    );
    rows.push(
      `${pad("", 12)} backward memory: plan sparse ${mb(mem.sparse.backwardOnly)} vs dense ${mb(mem.dense.backwardOnly)} (${(100 * mem.backwardSaving).toFixed(1)}% less);` +
        ` allocated after the reps: sparse ${mb(timings.sparse.bufferBytes)} vs dense ${mb(timings.dense.bufferBytes)} in all`,
    );
    rows.push(`${pad("", 12)} ran at: ${activity}`);
    rows.push(`${pad("", 12)} backward per layer sparse/dense: ${ratios.map((r) => `${r.layer} ${r.sparseMs.toFixed(3)}/${r.denseMs.toFixed(3)} ms = ${r.ratio.toFixed(2)}`).join(", ")}`);
    rows.push(`${pad("", 12)} sparse kernels: ${timings.sparse.kernels.map(([n, ms]) => `${n} ${(ms * 1000).toFixed(0)}µs`).join(", ")}`);
  }
  writeFileSync("bench-results.json", JSON.stringify(results, null, 1));
  console.log("== timing: one training step (forward + loss + backward + Adam), batch 256, median of 50 after 10 warm-up;\n   device = sum of the kernels' CUDA-event times, wall = trainStep as called (input upload included)");
  for (const r of rows) console.log(r);
  return true;
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

const mode = process.argv[2] ?? "numerics";
const ok = mode === "numerics" ? numerics() : mode === "sanitize" ? sanitize() : mode === "bench" ? bench() : false;
process.exit(ok ? 0 : 1);
