// `snnc eval`: a checkpoint's weights on the test split of its spec's dataset.

import { hashSpecWithDescription, lowerSpec } from "../../compiler/ir/lower.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";
import { sourceLabel } from "../../compiler/pipeline.ts";
import { acceptOlderSpecHash, checkSameSpec, loadCheckpoint, nonFiniteWeight, restoreCheckpoint } from "../checkpoint/checkpoint.ts";
import { chooseBackend, openLoweredNetwork, type BackendChoice } from "../model/open-model.ts";
import { loadNetworkData } from "./data.ts";
import { activityText, evalLine } from "./format.ts";
import type { SplitSummary } from "./stats.ts";
import { Trainer } from "./trainer.ts";
import { TrainConfigError } from "./run-training.ts";

export interface EvalOptions {
  specPath: string;
  checkpoint: string;
  backend?: BackendChoice;
  dataDir?: string;
  /** Evaluate this many test samples (a fixed seeded subset). */
  limit?: number;
  /** Samples per forward batch; default the checkpoint's training batch. */
  batch?: number;
  synthetic?: { trainSamples?: number; testSamples?: number; seed?: number };
  log?: (line: string) => void;
}

export async function runEval(opts: EvalOptions): Promise<SplitSummary> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  for (const [k, v] of [["--limit", opts.limit], ["--batch", opts.batch]] as const)
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) throw new TrainConfigError(`${k} must be a positive integer, got ${v}`);
  const { spec } = loadSpecOrThrow(opts.specPath);
  const network = lowerSpec(spec);
  // As the user wrote it, for messages; the generated sources' banner names only the file name.
  const specLabel = opts.specPath;
  const source = sourceLabel(opts.specPath);
  const ckpt = loadCheckpoint(opts.checkpoint);
  acceptOlderSpecHash(ckpt, hashSpecWithDescription(spec), network.specHash);
  checkSameSpec(ckpt, { network }, specLabel);
  const bad = nonFiniteWeight(ckpt);
  if (bad) log(`warning: ${ckpt.path} holds non-finite weights (${bad}); the accuracy below means nothing`);
  const data = await loadNetworkData(network, { dir: opts.dataDir, synthetic: opts.synthetic });
  log(`data: ${data.source}`);
  const backend = chooseBackend(opts.backend, network);
  log(`backend: ${backend}`);
  const opened = await openLoweredNetwork(network, source, {
    backend,
    onBuild: (e) => {
      if (e.phase === "wait") log(`waiting for another build of the ${e.backend} kernels to finish…`);
      else if (e.phase === "start") log(`building the ${e.backend} kernels…`);
      else log(e.reused ? "kernels up to date" : `built the ${e.backend} kernels in ${(e.seconds ?? 0).toFixed(1)} s`);
    },
  });
  const testLimit = opts.limit !== undefined && opts.limit < data.test.length ? opts.limit : null;
  if (testLimit !== null) log(`--limit ${testLimit}: evaluating ${testLimit} of ${data.test.length} test samples`);
  const batch = opts.batch ?? ckpt.meta.batch;
  const model = opened.create({ batch });
  try {
    restoreCheckpoint(model, ckpt, specLabel);
    const partial = ckpt.meta.samplesDone > 0 ? ` and ${ckpt.meta.samplesDone} samples` : "";
    log(`checkpoint: ${ckpt.path} (${ckpt.meta.epoch} epoch${ckpt.meta.epoch === 1 ? "" : "s"}${partial}, ${ckpt.meta.adamSteps} Adam steps)`);
    const trainer = new Trainer(model, { train: data.train, test: data.test, batch, seed: ckpt.meta.seed, lr: 0, testLimit });
    const result = await trainer.evaluate();
    log(evalLine(result));
    const act = activityText(result.layers);
    if (act) log(act);
    return result;
  } finally {
    model.dispose();
  }
}
