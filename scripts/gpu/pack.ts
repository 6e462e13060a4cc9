// Packs everything the GPU check needs into .gpu/ (git-ignored): CUDA and CPU addons built here
// for sm_90, the lowered networks, input batches, the check bundled into one file with esbuild,
// and this machine's node binary. The GPU machine has no Node.js and no network; run.sh there
// unpacks node and runs every check in one go.
//
//   npx tsx scripts/gpu/pack.ts [--random 10] [--arch 90]   (the conv specs of test/support/conv-cases.ts
//   and the sum-pool specs of test/support/sumpool-cases.ts always; --only REGEX keeps the matching cases;
//   --no-tp leaves out the time-parallel `<name>+tp` builds)

import { execFileSync, execSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { loadNetwork, compileAndBuild } from "../../compiler/pipeline.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { resolveSpec } from "../../compiler/spec/defaults.ts";
import { buildPlan, lifStages, PlanError } from "../../compiler/plan/build-plan.ts";
import { planOptionsFor } from "../../compiler/backends/plan-options.ts";
import { cudaSourcesFingerprint } from "../../compiler/backends/cuda/gpu-checked.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { randomConvSpec, randomSpec } from "../../test/support/random-spec.ts";
import { NEURON_SPECS } from "../../test/support/neuron-specs.ts";
import { RECURRENT_NEURON_SPECS } from "../../test/support/recurrent-neuron-specs.ts";
import { TAU_SPECS } from "../../test/support/tau-specs.ts";
import { GPU_CHECK_CONV_SPECS } from "../../test/support/conv-cases.ts";
import { SUMPOOL_GATHER_SPECS, SUMPOOL_SPECS } from "../../test/support/sumpool-cases.ts";
import { TIME_PARALLEL_ONLY_SPECS } from "../../test/support/time-parallel-cases.ts";
import { loadDataset } from "../../runtime/data/index.ts";
import { packBatch } from "../../runtime/data/spike-batch.ts";
import { randomSpikeBatch, TYPICAL_DENSITY } from "../../runtime/bench/synthetic-batch.ts";
import type { SpikeBatch } from "../../runtime/data/spike-batch.ts";
import type { StepLaunchOptions } from "../../compiler/plan/plan-options.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const OUT = join(ROOT, ".gpu");
const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : dflt;
};
const randomCount = Number(flag("--random", "10"));
const arch = flag("--arch", "90");
const RECURRENT_CASES: [number, "first" | "last" | "all" | "some"][] = [[1, "all"], [2, "first"], [3, "last"], [4, "some"]];
/** --only REGEX: pack just the cases whose name matches (a rehearsal or a re-check of a few). */
const only = new RegExp(flag("--only", ""));
/** --no-tp: no `<name>+tp` cases (the time-parallel CUDA forward, `--time-parallel`). */
const withTimeParallel = !args.includes("--no-tp");

export interface PackedCase {
  name: string;
  /** random: also compared with the float64 reference; vs-cpu: with the CPU backend only. */
  kind: "shipped" | "random" | "vs-cpu";
  seed: number;
  network: Network;
  /** File name of the bench batch under batches/, for shipped models timed at their batch. */
  benchBatch?: string;
  /** Input density of the reference check (neuron-option cases; default 0.2). */
  density?: number;
  /** The CUDA addon is the time-parallel build (`--time-parallel`); the CPU one is the default. */
  timeParallel?: boolean;
  /** Step launch options of the CUDA addon (the `+graph` cases; the CPU addon is the base case's). */
  plan?: StepLaunchOptions;
  /** Also check one AdamW step with clipping against its float64 formulas. */
  optimizer?: boolean;
}

/** The cases also packed with --step-graph --overlap-upload (CUDA only, experimental), as
 *  `<name>+graph`: checked over consecutive training steps (step-launch-check.ts), timed when shipped. */
const GRAPH_CASES = ["fmnist", "nmnist", "shd", "random-1", "random-rec-1", "random-conv-1", "tiny-adamw-clip"];

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, "addons"), { recursive: true });
  mkdirSync(join(OUT, "batches"), { recursive: true });
  const cases: PackedCase[] = [];
  for (const model of ["tiny", "fmnist", "nmnist", "shd", "fmnist-deep", "fmnist-conv", "shd-recurrent", "nmnist-conv"]) {
    const network = loadNetwork(join(ROOT, "models", `${model}.json`));
    cases.push({ name: model, kind: "shipped", seed: 7, network });
  }
  // AdamW and clipping by the global norm (the grad_norm kernel): one step against the float64
  // formulas (test/backends/optimizer-step-check.ts), and as `+graph` over consecutive steps.
  const tiny = JSON.parse(readFileSync(join(ROOT, "models", "tiny.json"), "utf8"));
  tiny.name = "tiny-adamw-clip";
  tiny.training = { ...tiny.training, optimizer: { kind: "adamw", lr: 0.01, weight_decay: 0.05 }, clip_grad_norm: 0.01 };
  cases.push({ name: "tiny-adamw-clip", kind: "shipped", seed: 7, optimizer: true, network: lowerSpec(resolveSpec(tiny)) });
  for (let seed = 1; seed <= randomCount; seed++)
    cases.push({ name: `random-${seed}`, kind: "random", seed, network: lowerSpec(resolveSpec(randomSpec(seed))) });
  // Bias, IF, reset to_reset, CuBa (test/support/neuron-specs.ts), dense and conv.
  NEURON_SPECS.forEach((n, k) =>
    cases.push({ name: `neurons-${k + 1}`, kind: "random", seed: n.seed, density: n.density, network: lowerSpec(resolveSpec(n.spec())) }),
  );
  // Recurrent layers at different depths (the CPU numerics test's recurrent specs, as seeded there).
  for (const [seed, recurrent] of RECURRENT_CASES)
    cases.push({ name: `random-rec-${seed}`, kind: "random", seed, network: lowerSpec(resolveSpec(randomSpec(seed, { recurrent }))) });
  // Spiking readouts (spike-count logits), plain and recurrent after recurrent layers.
  cases.push({ name: "random-spiking-13", kind: "random", seed: 13, network: lowerSpec(resolveSpec(randomSpec(13, { spikingReadout: true }))) });
  cases.push({ name: "random-spiking-16", kind: "random", seed: 16, network: lowerSpec(resolveSpec(randomSpec(16, { recurrent: "all", spikingReadout: "recurrent" }))) });
  // Recurrence and spiking readouts with bias, IF, both resets and CuBa (test/support/recurrent-neuron-specs.ts).
  RECURRENT_NEURON_SPECS.forEach((n, k) =>
    cases.push({ name: `rec-neurons-${k + 1}`, kind: "random", seed: n.seed, density: n.density, network: lowerSpec(resolveSpec(n.spec())) }),
  );
  // Per-neuron τ, fixed and trained (docs/design.md §2.1).
  TAU_SPECS.forEach((n, k) => cases.push({ name: `tau-${k + 1}`, kind: "random", seed: n.seed, network: lowerSpec(resolveSpec(n.spec())) }));
  // Conv networks: pool / no pool, stride 1–2, padding 0–1, conv → pool → conv, dense after flatten.
  GPU_CHECK_CONV_SPECS.forEach(([name, make, vsReference], k) =>
    cases.push({ name, kind: vsReference ? "random" : "vs-cpu", seed: k + 1, network: lowerSpec(resolveSpec(make())) }),
  );
  // Sum-pool networks (test/support/sumpool-cases.ts), at the seeds the CPU test checks against the
  // reference: conv, dense and readout above sum-pools, chains, uncovered rows, pools on the input.
  for (const [, seed, opts] of [...SUMPOOL_SPECS, ...SUMPOOL_GATHER_SPECS])
    cases.push({ name: `sumpool-${seed}`, kind: "random", seed, network: lowerSpec(resolveSpec(randomConvSpec(seed, opts))) });

  // The time-parallel CUDA forward (off by default, `--time-parallel`): every case above with a
  // dense, non-recurrent LIF stage again as `<name>+tp`, its CUDA addon built with time-parallel
  // currents and checked against the same CPU backend like any other case.
  if (withTimeParallel)
    for (const c of [...cases]) {
      if (!hasTimeParallelStage(c.network)) continue;
      cases.push({ ...c, name: `${c.name}+tp`, timeParallel: true });
    }
  // Shapes only the time-parallel forward needs (test/support/time-parallel-cases.ts): sum-pooled
  // input events into a dense layer, a layer of 4096 neurons (CPU only: no float64 reference).
  if (withTimeParallel)
    for (const c of TIME_PARALLEL_ONLY_SPECS)
      cases.push({ name: `${c.name}+tp`, kind: c.name === "wide-4096" ? "vs-cpu" : "random", seed: c.seed, density: c.density, network: lowerSpec(resolveSpec(c.spec())), timeParallel: true });
  for (const base of GRAPH_CASES) {
    const c = cases.find((x) => x.name === base);
    if (c) cases.push({ ...c, name: `${base}+graph`, plan: { stepGraph: true, overlapUpload: true } });
  }

  const packed: PackedCase[] = [];
  for (const c of cases.filter((x) => only.test(x.name))) {
    try {
      for (const backend of ["cuda", "cpu"] as const) {
        const t0 = Date.now();
        // The label names manifest.json only: the sources depend on the network alone, so a `+tp` or
        // `+graph` case's CPU build is its base's build whatever it is called.
        const label = `gpu check case ${c.name.replace(/\+(tp|graph)$/, "")}`;
        const cudaVariant = backend === "cuda" ? { timeParallel: c.timeParallel === true, ...c.plan } : {};
        const r = await compileAndBuild(c.network, backend, label, { cudaArch: arch, ...cudaVariant });
        copyFileSync(r.addonPath, join(OUT, "addons", `${c.name}-${backend}.node`));
        console.log(`${c.name} ${backend}: ${r.built ? `built in ${((Date.now() - t0) / 1000).toFixed(1)} s` : "up to date"}`);
      }
      packed.push(c);
    } catch (e) {
      if (e instanceof PlanError) console.log(`${c.name}: skipped (${e.message})`);
      else throw e;
    }
  }

  // Bench inputs: real Fashion-MNIST test samples; stand-ins at typical densities for the rest.
  const fm = await loadDataset("fashion-mnist", { steps: 100, tauEffSteps: 20, theta: 0.2 });
  const fmBatch = packBatch(Array.from({ length: 256 }, (_, k) => fm.test.get(k)), 100, 784);
  // nmnist-conv (T = 300) is checked against the CPU backend but not timed until its kernels have
  // passed that check once: the GPU check has minutes, not hours.
  for (const c of packed.filter((x) => x.kind === "shipped" && !/^(tiny|tiny-adamw-clip|nmnist-conv)(\+tp|\+graph)?$/.test(x.name))) {
    const net = c.network;
    // A `+tp` or `+graph` case is timed on its base case's batch (the same file).
    const base = c.name.replace(/\+(tp|graph)$/, "");
    c.benchBatch = `${base}.json`;
    if (base !== c.name && packed.some((x) => x.name === base)) continue;
    const batch: SpikeBatch =
      net.input.dataset === "fashion-mnist"
        ? fmBatch
        : randomSpikeBatch(net.training.batch, net.steps, net.input.size, net.classes, TYPICAL_DENSITY[net.input.dataset] ?? 0.02, 1);
    writeFileSync(join(OUT, "batches", c.benchBatch), JSON.stringify(serialiseBatch(batch)));
  }
  writeFileSync(join(OUT, "cases.json"), JSON.stringify(packed));

  await build({
    entryPoints: [join(import.meta.dirname, "check-entry.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: join(OUT, "check.mjs"),
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  copyFileSync(join(import.meta.dirname, "run.sh"), join(OUT, "run.sh"));
  // What run.sh prints when every check passes, for compiler/backends/cuda/gpu-checked.json.
  writeFileSync(join(OUT, "fingerprint.txt"), `${cudaSourcesFingerprint()}\n`);
  execSync(`tar -C ${JSON.stringify(OUT)} -cJf ${JSON.stringify(join(OUT, "addons.tar.xz"))} addons`);
  rmSync(join(OUT, "addons"), { recursive: true });
  // The timing batches are JSON of small integers (29 MB for N-MNIST and SHD): xz takes them to a
  // fraction, which keeps the whole pack under what a device run carries.
  execSync(`tar -C ${JSON.stringify(OUT)} -cJf ${JSON.stringify(join(OUT, "batches.tar.xz"))} batches`);
  rmSync(join(OUT, "batches"), { recursive: true });
  const node = execFileSync("bash", ["-c", "command -v node"], { encoding: "utf8" }).trim();
  execSync(`xz -T2 -c ${JSON.stringify(node)} > ${JSON.stringify(join(OUT, "node.xz"))}`);
  console.log(execSync(`du -sh ${JSON.stringify(OUT)}`, { encoding: "utf8" }).trim());
  // The device tool carries at most 64 MiB with the working tree: say so before a GPU minute is spent.
  const mib = Number(execSync(`du -sm ${JSON.stringify(OUT)}`, { encoding: "utf8" }).split(/\s/)[0]);
  if (mib > 60) console.log(`warning: ${OUT} is ${mib} MiB, near or over the 64 MiB a device run carries; pack fewer cases (--random N, --only REGEX)`);
  console.log(`packed ${packed.length} cases; on the GPU machine: bash .gpu/run.sh`);
}

/** Whether the CUDA plan with time-parallel currents has a time-parallel stage (dense, non-recurrent LIF). */
function hasTimeParallelStage(net: Network): boolean {
  return lifStages(buildPlan(net, undefined, planOptionsFor("cuda", { timeParallel: true }))).some((s) => s.forward === "time-parallel");
}

function serialiseBatch(b: SpikeBatch) {
  return { batch: b.batch, steps: b.steps, inputs: b.inputs, offsets: Array.from(b.offsets), indices: Array.from(b.indices), labels: Array.from(b.labels) };
}

await main();
