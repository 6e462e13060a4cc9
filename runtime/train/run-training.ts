// A whole training run, as `snnc train` does it: open the spec on a backend (building the kernels
// if stale), load the data, create or resume the model, train epoch by epoch with evaluation,
// write metrics, checkpoints, the raster and the report into the run directory, and stop cleanly
// on Ctrl-C (checkpoint, status "interrupted") or a non-finite loss or weight (NonFiniteError).
// Everything it prints goes through `log`, so tests can run it silently.
// Under an MPI launcher every rank runs this (data-parallel, runtime/mpi/): rank 0 builds the kernels
// while the others wait, and only rank 0 prints and writes files (metrics, checkpoints, report).

import { writeLine } from "../util/closed-stdout.ts";
import { existsSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { removeStaleTemps } from "../../compiler/util/atomic-write.ts";
import { checkWritable } from "../../compiler/util/check-writable.ts";
import { hashSpecWithDescription, lowerSpec } from "../../compiler/ir/lower.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";
import { sourceLabel } from "../../compiler/pipeline.ts";
import { signalsDelivered } from "../../compiler/util/signals-delivered.ts";
import { loadInitWeights } from "../checkpoint/init-weights.ts";
import { acceptOlderSpecHash, checkSameSpec, CheckpointError, loadCheckpoint, nonFiniteWeight, restoreCheckpoint, saveCheckpoint, type Checkpoint } from "../checkpoint/checkpoint.ts";
import { autoBackend, autoFacts, chooseBackend, openLoweredNetwork, TimeParallelBackendError, type BackendChoice } from "../model/open-model.ts";
import type { SnnModel } from "../model/snn-model.ts";
import { loadNetworkData } from "./data.ts";
import { DataError } from "../data/data-error.ts";
import { epochLines, percent } from "./format.ts";
import { stopSignalOf, type StopSignal } from "./interrupt.ts";
import { createProgress, formatSeconds, progressMode, type ProgressMode } from "./progress.ts";
import { recordRaster } from "./raster.ts";
import {
  appendMetrics,
  BEST_CHECKPOINT,
  copyMetrics,
  createRunDir,
  epochCheckpoint,
  filterMetrics,
  LAST_CHECKPOINT,
  METRICS_FILE,
  RASTER_FILE,
  readMetrics,
  RUN_FILE,
  SPEC_FILE,
  writeJson,
  type EpochRecord,
  type MetricsRecord,
  type RunInfo,
} from "./run-dir.ts";
import type { SplitSummary } from "./stats.ts";
import { Trainer } from "./trainer.ts";
import { checkRecipe, describeRecipe, resolveRecipe, resumedRecipe, type BestEpoch, type RecipeFlags, type RunRecipe } from "./recipe.ts";
import { scheduledLr } from "./schedule.ts";
import { splitValidation, type SubsetDataset } from "../data/validation-split.ts";
import { augmentDataset } from "../data/augment.ts";
import type { SpikeDataset, SpikeSample } from "../data/spike-batch.ts";
import type { AugmentSpec } from "../../compiler/spec/types.ts";
import { TrainConfigError } from "./train-config-error.ts";
import type { StepLaunchOptions } from "../../compiler/plan/plan-options.ts";
import { variantNames } from "../../compiler/backends/plan-options.ts";
import { writeReport } from "../report/report.ts";
import { joinWorld, type World } from "../mpi/world.ts";
import { shardCapacity } from "../mpi/data-parallel.ts";
import { pinGpu } from "../mpi/gpu-per-rank.ts";

export interface TrainRunOptions {
  specPath: string;
  backend?: BackendChoice;
  /** CUDA only, experimental: time-parallel input currents (`--time-parallel`). */
  timeParallel?: boolean;
  /** CUDA step launch options (--step-graph, --overlap-upload); the caller has checked the backend. */
  plan?: StepLaunchOptions;
  /** Total epochs to reach (a resumed run continues up to this). Default: the spec's (or the checkpoint's). */
  epochs?: number;
  batch?: number;
  seed?: number;
  lr?: number;
  /** Train on this many samples (test on a proportional share). */
  limit?: number;
  /** Overrides of the spec's recipe (schedule, weight decay, validation, early stopping). */
  recipe?: RecipeFlags;
  dataDir?: string;
  /** The synthetic task's size and seed (inputs, classes and steps always come from the spec). */
  synthetic?: { trainSamples?: number; testSamples?: number; seed?: number };
  resume?: string;
  /** Start from these weights (a safetensors file with the spec's tensors), with fresh Adam state. */
  init?: string;
  /** Run directory; default runs/<model>-<timestamp> (or the checkpoint's run directory on --resume). */
  out?: string;
  runsRoot?: string;
  log?: (line: string) => void;
  progress?: ProgressMode | "auto";
  /** Seconds between plain progress lines (progress "lines"). */
  progressInterval?: number;
  stop?: StopSignal;
  /** A {"type":"batch"} metrics line every this many batches (0: none). Default 50. */
  batchMetricsEvery?: number;
  /** Called with the model once it is ready (after a resume's restore), before the first batch. */
  onModel?: (model: SnnModel) => void;
  /** Width to fit the epoch lines to (default: the terminal's when printing to one, else none). */
  columns?: number;
  /** The MPI world to train data-parallel over (default: joinWorld(), SOLO outside MPI). */
  world?: World;
}

export interface TrainRunResult {
  status: "done" | "interrupted";
  runDir: string;
  /** The newest checkpoint written by this run (null when none was). */
  checkpoint: string | null;
  /** Epochs completed (including those before a resume). */
  epochsDone: number;
  records: EpochRecord[];
  lastTest: SplitSummary | null;
  /** The best epoch by validation accuracy (null without a validation split). */
  best: BestEpoch | null;
  /** Early stopping ended the run before its last epoch. */
  stoppedEarly: boolean;
  backend: "cpu" | "cuda";
}

export { TrainConfigError };

function positiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) throw new TrainConfigError(`${name} must be a positive integer, got ${v}`);
}

export async function runTraining(opts: TrainRunOptions): Promise<TrainRunResult> {
  const world = opts.world ?? (await joinWorld());
  // Only rank 0 speaks and writes; every rank checks and trains alike.
  const root = world.rank === 0;
  const log = root ? (opts.log ?? writeLine) : () => {};
  positiveInt("--epochs", opts.epochs);
  positiveInt("--batch", opts.batch);
  positiveInt("--limit", opts.limit);
  if (opts.seed !== undefined && (!Number.isSafeInteger(opts.seed) || opts.seed < 0))
    throw new TrainConfigError(`--seed must be a non-negative integer, got ${opts.seed}`);
  if (opts.lr !== undefined && !(opts.lr > 0 && Number.isFinite(opts.lr))) throw new TrainConfigError(`--lr must be a positive number, got ${opts.lr}`);

  const { spec } = loadSpecOrThrow(opts.specPath);
  const network = lowerSpec(spec);
  // As the user wrote it, for messages; the generated sources' banner names only the file name.
  const specLabel = opts.specPath;
  const source = sourceLabel(opts.specPath);

  // Resume: the checkpoint's settings are the defaults, so `--resume last.safetensors` alone continues the run.
  let ckpt: Checkpoint | null = null;
  if (opts.resume !== undefined) {
    ckpt = loadCheckpoint(opts.resume);
    acceptOlderSpecHash(ckpt, hashSpecWithDescription(spec), network.specHash);
    checkSameSpec(ckpt, { network }, specLabel);
    const bad = nonFiniteWeight(ckpt);
    if (bad)
      throw new CheckpointError(`${ckpt.path} holds non-finite weights (${bad}); it cannot be trained further: resume an earlier checkpoint of that run instead`);
  }
  if (opts.init !== undefined && opts.resume !== undefined)
    throw new TrainConfigError("--init and --resume exclude each other: --resume continues a run, --init starts a new one from given weights");
  const initWeights = opts.init === undefined ? null : loadInitWeights(opts.init, network);
  const meta = ckpt?.meta;
  const seed = opts.seed ?? meta?.seed ?? network.training.seed;
  const batch = opts.batch ?? meta?.batch ?? network.training.batch;
  const lr = opts.lr ?? (meta && Number.isFinite(meta.lr) ? meta.lr : network.training.adam.lr);
  const epochs = opts.epochs ?? (meta?.epochs || network.training.epochs);
  const recipeFlags = opts.recipe ?? {};
  const recipe = resolveRecipe(network, recipeFlags, meta ? resumedRecipe(network, meta.recipe) : null);
  const limit = opts.limit ?? meta?.limit ?? null;
  const startEpoch = meta?.epoch ?? 0;
  const startSample = meta?.samplesDone ?? 0;
  if (ckpt && (startEpoch > epochs || (startEpoch === epochs && startSample === 0)))
    throw new CheckpointError(
      `${ckpt.path} has already trained ${startEpoch} epoch${startEpoch === 1 ? "" : "s"} of ${epochs}; pass --epochs with a larger total to train further`,
    );
  if (meta) {
    const changed = [
      meta.seed !== seed && `seed ${meta.seed} → ${seed}`,
      meta.batch !== batch && `batch ${meta.batch} → ${batch}`,
      meta.limit !== limit && `limit ${meta.limit ?? "none"} → ${limit ?? "none"}`,
      Number.isFinite(meta.lr) && meta.lr !== lr && `lr ${meta.lr} → ${lr}`,
      meta.recipe && JSON.stringify(meta.recipe) !== JSON.stringify(recipe) && "recipe (schedule, weight decay, validation or early stopping)",
      meta.epochs !== epochs && recipe.schedule.kind !== "constant" && `epochs ${meta.epochs} → ${epochs}, which stretches the ${recipe.schedule.kind} schedule`,
    ].filter(Boolean);
    if (changed.length) log(`note: resuming with changed settings (${changed.join(", ")}); the result will differ from an uninterrupted run`);
  }

  // Data first: a missing or corrupt dataset is reported before any kernel is built.
  if (opts.dataDir !== undefined && network.input.dataset === "synthetic" && existsSync(opts.dataDir))
    log(`note: --data ${opts.dataDir} is not used: ${network.name}'s dataset is "synthetic" (generated in memory, no files)`);
  const data = await loadNetworkData(network, { dir: opts.dataDir, synthetic: opts.synthetic });
  log(`data: ${data.source}`);
  for (const [split, which, what] of [[data.train, "training", "train on"], [data.test, "test", "evaluate on"]] as const)
    if (split.length === 0) throw new DataError(opts.dataDir ?? "", `the ${which} split (${split.name}) has 0 samples; there is nothing to ${what}`);
  // The validation split is held out of the training split (before --limit takes its share), and
  // checked before any kernel is built.
  const valCount = checkRecipe(recipe, recipeFlags, { epochs, trainSamples: data.train.length });
  const split = valCount > 0 ? splitValidation(data.train, valCount, seed) : null;
  const trainSet = split ? split.train : data.train;
  if (split)
    log(`validation: ${valCount} of ${data.train.length} training samples held out (seed ${seed}); best.safetensors keeps the epoch with the best validation accuracy`);

  // An --out that cannot take files fails now, not after the kernels are built.
  if (opts.out !== undefined && root) checkWritable(join(opts.out, RUN_FILE));

  // Backend and kernels.
  const auto = (opts.backend ?? "auto") === "auto";
  const decided = auto ? autoBackend(autoFacts(network)) : null;
  const backendName = decided ? decided.backend : chooseBackend(opts.backend, network);
  if (opts.timeParallel && backendName !== "cuda") throw new TimeParallelBackendError(opts.backend ?? "auto");
  const variant = variantNames({ timeParallel: opts.timeParallel, ...opts.plan });
  log(`backend: ${backendName}${decided ? ` (auto: ${decided.reason})` : ""}${variant.length ? ` with ${variant.join(", ")} (experimental, not yet verified on a GPU)` : ""}`);
  if (world.info) log(describeWorld(world));
  // One GPU per rank of a host (CUDA_VISIBLE_DEVICES), before CUDA starts in this process.
  const gpu = backendName === "cuda" && world.size > 1 ? pinGpu() : null;
  if (gpu?.how === "local-rank") log(`mpi: each rank uses the GPU of its rank on its host (rank 0: device ${gpu.device} of ${gpu.of})`);
  // A stop asked for while the data loaded or the kernels built ends the run before it writes
  // anything. Ranks of an MPI world agree on stopping at the start of the epoch instead: one that
  // returned here alone would leave the others waiting for it.
  const stoppedBeforeTraining = async (): Promise<TrainRunResult | null> => {
    if (!opts.stop || world.size > 1) return null;
    await signalsDelivered();
    const signal = stopSignalOf(opts.stop);
    if (!signal) return null;
    log(`stopped by ${signal} before training began; nothing was written`);
    return { status: "interrupted", runDir: "", checkpoint: null, epochsDone: startEpoch, records: [], lastTest: null, best: null, stoppedEarly: false, backend: backendName };
  };
  const early = await stoppedBeforeTraining();
  if (early) return early;
  // Rank 0 builds first; the others then find its build (or, without a shared folder, build their own).
  if (!root) await world.barrier();
  const opened = await openLoweredNetwork(network, source, {
    backend: backendName,
    timeParallel: opts.timeParallel,
    plan: opts.plan,
    stopRequested: () => stopSignalOf(opts.stop),
    onBuild: (e) => {
      if (e.phase === "wait") log(`waiting for another build of the ${e.backend} kernels to finish…`);
      else if (e.phase === "start") log(`building the ${e.backend} kernels…`);
      else log(e.reused ? "kernels up to date" : `built the ${e.backend} kernels in ${(e.seconds ?? 0).toFixed(1)} s`);
    },
  });
  if (root) await world.barrier();
  const stopped = await stoppedBeforeTraining();
  if (stopped) return stopped;
  // From here a stop finishes the batch in progress (the first one included) and writes a checkpoint.
  opts.stop?.beginTraining?.();

  const trainLen = trainSet.length;
  let testLimit: number | null = null;
  let valLimit: number | null = null;
  if (limit !== null && limit < trainLen) {
    const share = (n: number) => Math.min(n, Math.max(1, Math.ceil((limit * n) / trainLen)));
    testLimit = share(data.test.length);
    valLimit = split ? share(split.val.length) : null;
    log(
      `--limit ${limit}: training on ${limit} of ${trainLen} samples, testing on ${testLimit} of ${data.test.length}${split ? `, validating on ${valLimit} of ${split.val.length}` : ""} (the same share)`,
    );
  }

  // Model first: a wrong-shaped checkpoint or a failed allocation is reported before any run
  // directory exists, so a failed start leaves nothing behind.
  // A rank holds its share of a batch only.
  const model = opened.create({ batch: shardCapacity(batch, world.size), seed });
  let runDir: string | null = null;
  let freshDir = false;
  let keepDir = false;
  try {
    if (ckpt) restoreCheckpoint(model, ckpt, specLabel);
    if (initWeights) for (const [name, w] of initWeights) model.setWeights(name, w);
    if (!root) return await trainElsewhere({ opts, log, model, runDir: "", epochs, startEpoch, startSample, ckpt, batch, seed, lr, limit, recipe, backend: opened.backend, world }, data, split, trainSet, testLimit, valLimit);

    // Run directory. A checkpoint inside a run directory continues that directory, unless the run
    // went further than the checkpoint: then this is a new branch of its history, in a new directory.
    const ckptRunDir = ckpt && existsSync(join(dirname(ckpt.path), RUN_FILE)) ? dirname(ckpt.path) : null;
    const later = ckpt && ckptRunDir ? laterProgress(ckptRunDir, ckpt, startEpoch, startSample) : null;
    const sameDir = (a: string, b: string) => resolve(a) === resolve(b);
    if (later && opts.out !== undefined && sameDir(opts.out, ckptRunDir!))
      throw new TrainConfigError(
        `${ckpt!.path} is not the latest checkpoint of ${ckptRunDir} (that run reached ${later}); resuming it there would discard the later epochs. Leave out --out to continue in a new run directory, or pass another --out`,
      );
    if (opts.out !== undefined) runDir = opts.out;
    else if (ckptRunDir && !later) runDir = ckptRunDir;
    else {
      runDir = createRunDir(opts.runsRoot ?? "runs", network.name);
      freshDir = true;
    }
    if (!freshDir) {
      freshDir = !existsSync(join(runDir, METRICS_FILE)) && !existsSync(join(runDir, SPEC_FILE));
      keepDir = existsSync(runDir); // a folder the user made for --out stays, even when empty
    }
    if (!ckpt && existsSync(join(runDir, METRICS_FILE)))
      throw new TrainConfigError(`${runDir} already holds a run (${METRICS_FILE}); choose another --out directory, or --resume its checkpoint`);
    removeStaleTemps(runDir);
    if (ckpt) {
      const done = startEpoch;
      const doneBatches = Math.ceil(startSample / batch);
      const keep = (r: MetricsRecord) => r.epoch <= done || (r.type === "batch" && r.epoch === done + 1 && r.batch <= doneBatches);
      if (ckptRunDir && !sameDir(runDir, ckptRunDir) && !existsSync(join(runDir, METRICS_FILE))) {
        // A new directory (a branch, or --out elsewhere) starts with the history up to its
        // checkpoint; the original run is left as it was.
        copyMetrics(ckptRunDir, runDir, keep);
        if (later)
          log(`note: ${ckpt.path} is not the latest checkpoint of ${ckptRunDir} (that run reached ${later}); continuing in a new run directory, the original run is left as it was`);
      } else filterMetrics(runDir, keep);
    }
    writeJson(join(runDir, SPEC_FILE), spec);

    if (ckpt)
      log(`resumed from ${ckpt.path}: ${startEpoch} epoch${startEpoch === 1 ? "" : "s"} done${startSample ? ` and ${startSample} samples of epoch ${startEpoch + 1}` : ""}, ${model.adamSteps} Adam steps`);
    if (initWeights) log(`initial weights from ${opts.init}`);
    opts.onModel?.(model);
    const trainer = makeTrainer(model, recipe, { data, split, trainSet, batch, seed, lr, epochs, limit, testLimit, valLimit, world });
    const info: RunInfo = {
      model: network.name,
      spec: specLabel,
      specHash: network.specHash,
      backend: opened.backend,
      data: data.source,
      seed,
      batch,
      lr,
      epochs,
      limit,
      trainSamples: trainer.epochSamples(),
      testSamples: trainer.testIndices().length,
      valSamples: trainer.valIndices().length,
      schedule: recipe.schedule,
      weightDecay: recipe.weightDecay,
      clipGradNorm: network.training.clipGradNorm,
      earlyStop: recipe.earlyStop,
      augment: recipe.augment,
      started: new Date().toISOString(),
      ...(trainer.parallel && world.info
        ? { mpi: { ...world.info, gradientReduce: trainer.parallel.route, bytesPerStep: trainer.parallel.bytesPerStep, nccl: false, ...(gpu ? { gpu } : {}) } }
        : {}),
      ...(ckpt ? { resumedFrom: ckpt.path } : {}),
      ...(opts.init !== undefined ? { initFrom: opts.init } : {}),
    };
    writeJson(join(runDir, RUN_FILE), info);
    log(`run directory: ${runDir}`);
    log(`training ${epochs - startEpoch} epoch${epochs - startEpoch === 1 ? "" : "s"} (to ${epochs}) of ${info.trainSamples} samples, batch ${batch}, lr ${lr}, seed ${seed}`);
    const extras = describeRecipe({ ...recipe, clipGradNorm: network.training.clipGradNorm });
    if (extras.length) log(`recipe: ${extras.join("; ")}`);

    await world.barrier(); // every rank ready: the first step's deadline counts from here
    const result = await trainLoop({ opts, log, model, trainer, runDir, epochs, startEpoch, startSample, ckpt, batch, seed, lr, limit, recipe, backend: opened.backend, files: true });
    if (freshDir && result.checkpoint === null && result.records.length === 0) {
      removeUnusedRunDir(runDir, keepDir);
    }
    return result;
  } catch (e) {
    // A run that failed before it wrote any metrics or checkpoint leaves no directory behind.
    if (freshDir && runDir !== null) removeUnusedRunDir(runDir, keepDir);
    throw e;
  } finally {
    model.dispose();
  }
}

interface TrainerInputs {
  data: Awaited<ReturnType<typeof loadNetworkData>>;
  split: ReturnType<typeof splitValidation> | null;
  trainSet: SpikeDataset;
  batch: number;
  seed: number;
  lr: number;
  epochs: number;
  limit: number | null;
  testLimit: number | null;
  valLimit: number | null;
  world: World;
}

function makeTrainer(model: SnnModel, recipe: RunRecipe, t: TrainerInputs): Trainer {
  model.weightDecay = recipe.weightDecay;
  const trainer: Trainer = new Trainer(model, {
    train: t.trainSet,
    test: t.data.test,
    val: t.split?.val ?? null,
    batch: t.batch,
    seed: t.seed,
    lr: t.lr,
    lrAt: (step) => scheduledLr(recipe.schedule, t.lr, step, { epochs: t.epochs, batchesPerEpoch: trainer.batchesPerEpoch() }),
    augmented: augmentedSamples(t.data.train, t.split?.train ?? null, recipe.augment, t.seed),
    limit: t.limit,
    testLimit: t.testLimit,
    valLimit: t.valLimit,
    world: t.world,
  });
  return trainer;
}

/** A rank other than 0: the same training loop as rank 0, with no run directory and no output. */
async function trainElsewhere(
  a: Omit<LoopArgs, "trainer" | "files"> & { world: World },
  data: TrainerInputs["data"],
  split: TrainerInputs["split"],
  trainSet: SpikeDataset,
  testLimit: number | null,
  valLimit: number | null,
): Promise<TrainRunResult> {
  const { world, batch, seed, lr, epochs, limit } = a;
  const trainer = makeTrainer(a.model, a.recipe, { data, split, trainSet, batch, seed, lr, epochs, limit, testLimit, valLimit, world });
  await world.barrier();
  return trainLoop({ ...a, trainer, files: false });
}

/** The line that announces a data-parallel job: its ranks, hosts and MPI. */
function describeWorld(world: World): string {
  const info = world.info!;
  const hosts = [...new Set(info.hosts)];
  return `mpi: ${info.ranks} ranks on ${hosts.length === 1 ? `host ${hosts[0]}` : `${hosts.length} hosts (${hosts.join(", ")})`}, ${info.library}; each rank trains on its share of every batch`;
}

/** How far the run in `dir` went beyond the checkpoint (e.g. "epoch 3"), or null when the checkpoint
 *  is its latest state (resuming it there loses nothing). */
function laterProgress(dir: string, ckpt: Checkpoint, epoch: number, samples: number): string | null {
  const last = join(dir, LAST_CHECKPOINT);
  let reached = { epoch, samples };
  if (existsSync(last) && resolve(last) !== resolve(ckpt.path)) {
    try {
      const m = loadCheckpoint(last).meta;
      if (m.epoch > reached.epoch || (m.epoch === reached.epoch && m.samplesDone > reached.samples)) reached = { epoch: m.epoch, samples: m.samplesDone };
    } catch {
      // an unreadable last.safetensors: the metrics below still tell
    }
  }
  try {
    for (const r of readMetrics(dir)) if (r.type === "epoch" && r.epoch > reached.epoch) reached = { epoch: r.epoch, samples: 0 };
  } catch {
    // no or corrupt metrics: nothing more to learn
  }
  if (reached.epoch === epoch && reached.samples === samples) return null;
  return reached.samples > 0 ? `${reached.samples} samples into epoch ${reached.epoch + 1}` : `epoch ${reached.epoch}`;
}

/** Removes what a run that produced nothing wrote (spec.json, run.json), and its directory when
 *  that is then empty (unless `keepDir`); never touches a directory that holds metrics or a checkpoint. */
function removeUnusedRunDir(dir: string, keepDir: boolean): void {
  try {
    if (existsSync(join(dir, METRICS_FILE)) || existsSync(join(dir, LAST_CHECKPOINT))) return;
    for (const f of [SPEC_FILE, RUN_FILE]) rmSync(join(dir, f), { force: true });
    removeStaleTemps(dir);
    if (!keepDir && readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // best effort: the error that ended the run matters more
  }
}

interface LoopArgs {
  opts: TrainRunOptions;
  log: (line: string) => void;
  model: SnnModel;
  trainer: Trainer;
  runDir: string;
  epochs: number;
  startEpoch: number;
  startSample: number;
  ckpt: Checkpoint | null;
  batch: number;
  seed: number;
  lr: number;
  limit: number | null;
  recipe: RunRecipe;
  backend: "cpu" | "cuda";
  /** Whether this process writes the run's files (rank 0; a rank of an MPI job other than 0 does not). */
  files: boolean;
}

/** Training samples of `pool` (the training split less the validation samples, or all of it when
 *  null) drawn through the augmentation each epoch; null when the recipe augments nothing. */
function augmentedSamples(train: SpikeDataset, pool: SubsetDataset | null, augment: AugmentSpec, seed: number): ((index: number, epoch: number) => SpikeSample) | null {
  const aug = augmentDataset(train, augment, seed);
  if (!aug) return null;
  return pool ? (i, epoch) => aug.sample(pool.indices[i], epoch) : (i, epoch) => aug.sample(i, epoch);
}

async function trainLoop(a: LoopArgs): Promise<TrainRunResult> {
  const { opts, log, model, trainer, runDir, epochs, batch, seed, lr, limit, recipe, files } = a;
  const progress = createProgress(files ? progressMode(opts.progress ?? "auto") : "none", { write: log, intervalSeconds: opts.progressInterval });
  const every = opts.batchMetricsEvery ?? 50;
  const columns = opts.columns ?? (opts.log === undefined && process.stdout.isTTY ? process.stdout.columns || undefined : undefined);
  const records: EpochRecord[] = [];
  let lastCheckpoint: string | null = null;
  let lastTest: SplitSummary | null = null;
  let best: BestEpoch | null = a.ckpt?.meta.best ?? null;
  let trainedHere = 0;
  const save = (file: string, epochsDone: number, samplesDone: number, partial: ReturnType<typeof trainer.newSum> | null) => {
    const path = join(runDir, file);
    if (!files) return path;
    saveCheckpoint(path, model, {
      epoch: epochsDone,
      samplesDone,
      seed,
      backend: a.backend,
      batch,
      lr,
      epochs,
      limit,
      partial: partial ? partial.toPartial() : null,
      recipe,
      best,
    });
    return path;
  };
  const result = (status: "done" | "interrupted", checkpoint: string | null, epochsDone: number, stoppedEarly = false): TrainRunResult => ({
    status,
    runDir,
    checkpoint,
    epochsDone,
    records,
    lastTest,
    best,
    stoppedEarly,
    backend: a.backend,
  });

  for (let epoch = a.startEpoch; epoch < epochs; epoch++) {
    const resumingMidEpoch = epoch === a.startEpoch && a.startSample > 0;
    const sum = trainer.newSum();
    if (resumingMidEpoch && a.ckpt?.meta.partial) sum.restore(a.ckpt.meta.partial);
    const from = resumingMidEpoch ? a.startSample : 0;
    const batches = trainer.batchesPerEpoch();
    const wallStart = performance.now();
    let window = { loss: 0, correct: 0, samples: 0, batches: 0 };
    progress.start(epoch + 1, epochs, batches, Math.ceil(from / batch));
    let run;
    try {
      run = await trainer.trainEpoch(epoch, {
        from,
        sum,
        shouldStop: () => opts.stop?.requested === true,
        onBatch: ({ batch: b, batches: n, stats, sum: s }) => {
          trainedHere++;
          progress.update(b, s.meanLoss, s.accuracy);
          if (every > 0) {
            window.loss += stats.loss * stats.batch;
            window.correct += stats.correct;
            window.samples += stats.batch;
            window.batches++;
            if (window.batches >= every || b === n) {
              if (files) appendMetrics(runDir, { type: "batch", epoch: epoch + 1, batch: b, batches: n, loss: window.loss / window.samples, accuracy: window.correct / window.samples });
              window = { loss: 0, correct: 0, samples: 0, batches: 0 };
            }
          }
        },
      });
    } finally {
      progress.stop();
    }

    if (!run.complete) {
      if (trainedHere === 0) {
        log("interrupted before any batch was trained here; nothing new to save");
        return result("interrupted", null, epoch);
      }
      const path = run.samplesDone === 0 ? save(LAST_CHECKPOINT, epoch, 0, null) : save(LAST_CHECKPOINT, epoch, run.samplesDone, run.sum);
      log(
        `interrupted in epoch ${epoch + 1} after ${run.samplesDone} of ${trainer.epochSamples()} samples; checkpoint written to ${path}`,
      );
      log(`resume with: snnc train ${a.opts.specPath} --resume ${path}`);
      return result("interrupted", path, epoch);
    }

    trainer.checkWeights(epoch); // before anything is saved: never checkpoint NaN weights
    if (trainer.parallel?.alignWeights(`epoch ${epoch + 1}`))
      log(`note: the ranks' weights differed after epoch ${epoch + 1} (a device summed in another order); rank 0's were copied to every rank`);
    const trainSummary = run.sum.summary();
    const val = trainer.opts.val ? await trainer.evaluate("val") : null;
    const test = await trainer.evaluate();
    if (!Number.isFinite(test.loss)) log(`warning: the test loss is ${test.loss} after epoch ${epoch + 1}`);
    lastTest = test;
    const indices = trainer.testIndices();
    if (indices.length > 0 && files) writeJson(join(runDir, RASTER_FILE), recordRaster(model, trainer.opts.test, indices[0], epoch + 1), true);
    const wall = (performance.now() - wallStart) / 1000 + (resumingMidEpoch ? (a.ckpt?.meta.partial?.seconds ?? 0) : 0);
    const record: EpochRecord = {
      type: "epoch",
      epoch: epoch + 1,
      epochs,
      train: trainSummary,
      ...(val ? { val } : {}),
      test,
      seconds: wall,
      trainSeconds: trainSummary.seconds,
      evalSeconds: test.seconds + (val?.seconds ?? 0),
      samplesPerSecond: trainSummary.seconds > 0 ? trainSummary.samples / trainSummary.seconds : 0,
      lr: run.lastLr ?? trainer.lrAt(epoch * trainer.batchesPerEpoch()),
      adamSteps: model.adamSteps,
      time: new Date().toISOString(),
    };
    // Model selection reads the validation split only; the test figure of the chosen epoch is reported.
    const improved = val !== null && (best === null || val.accuracy > best.valAccuracy);
    if (improved) best = { epoch: epoch + 1, valAccuracy: val.accuracy, valLoss: val.loss, testAccuracy: test.accuracy, testLoss: test.loss };
    records.push(record);
    if (files) appendMetrics(runDir, record);
    save(epochCheckpoint(epoch + 1), epoch + 1, 0, null);
    lastCheckpoint = save(LAST_CHECKPOINT, epoch + 1, 0, null);
    if (improved) save(BEST_CHECKPOINT, epoch + 1, 0, null);
    if (files) writeReport(runDir);
    for (const line of epochLines(record, columns)) log(line);
    if (recipe.earlyStop !== null && best !== null && epoch + 1 - best.epoch >= recipe.earlyStop && epoch + 1 < epochs) {
      log(`early stop: no better validation accuracy for ${recipe.earlyStop} epoch${recipe.earlyStop === 1 ? "" : "s"} (best ${percent(best.valAccuracy)} at epoch ${best.epoch})`);
      finalLines(log, records, lastTest, best, epoch + 1, runDir);
      return result("done", lastCheckpoint, epoch + 1, true);
    }
  }

  finalLines(log, records, lastTest, best, epochs, runDir);
  return result("done", lastCheckpoint, epochs);
}

/** The run's last lines: the last epoch's test figure, the best validation epoch's (the checkpoint
 *  to use), and where everything is. */
function finalLines(log: (line: string) => void, records: EpochRecord[], lastTest: SplitSummary | null, best: BestEpoch | null, epochsDone: number, runDir: string): void {
  const spent = records.length ? `, ${formatSeconds(records.reduce((s, r) => s + r.seconds, 0))} of training` : "";
  if (lastTest)
    log(`final test accuracy ${percent(lastTest.accuracy)} (loss ${lastTest.loss.toFixed(3)}) after ${epochsDone} epoch${epochsDone === 1 ? "" : "s"}${spent} (${LAST_CHECKPOINT})`);
  if (best)
    log(
      `best validation accuracy ${percent(best.valAccuracy)} at epoch ${best.epoch}: test accuracy ${percent(best.testAccuracy)} (loss ${best.testLoss.toFixed(3)}) for ${BEST_CHECKPOINT}`,
    );
  log(`run directory: ${runDir} (report: ${join(runDir, "report.html")})`);
}
