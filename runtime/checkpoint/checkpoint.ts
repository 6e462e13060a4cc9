// Training checkpoints: one safetensors file with every weight tensor (`w1`, `w2`, …, F32 in the
// IR's shape) and Adam's moments (`adam_m_w1`, `adam_v_w1`, …), plus string metadata:
//
//   format       "snnc-checkpoint-1"
//   specHash     sha256 of the resolved spec the weights belong to (resume refuses any other)
//   specName     the spec's name
//   epoch        epochs completed
//   samplesDone  samples of epoch `epoch` already trained (0 at an epoch boundary; > 0 after Ctrl-C)
//   adamSteps    Adam steps taken (the bias correction depends on it)
//   seed, batch, lr, epochs, limit   the run's settings, so a resume continues the same run
//   backend      where it was trained (informational: checkpoints load on either backend)
//   partial      JSON running sums of the unfinished epoch's training stats ("" at a boundary)
//   recipe       JSON of the run's schedule, weight decay, validation, early stopping and
//                augmentation (runtime/train/recipe.ts; absent in checkpoints of older runs)
//   best         JSON of the best epoch by validation accuracy so far ("" when none)
//   created      ISO time
//
// Files are written atomically (temp file, fsync, rename), so a crash never leaves half a checkpoint.

import { writeFileAtomic } from "../../compiler/util/atomic-write.ts";
import type { SnnModel } from "../model/snn-model.ts";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { encodeSafetensors, readSafetensors, type Tensor } from "./safetensors.ts";
import type { BestEpoch, RunRecipe } from "../train/recipe.ts";

export const CHECKPOINT_FORMAT = "snnc-checkpoint-1";

/** A checkpoint that cannot be used (wrong spec, missing tensor, bad metadata); one sentence. */
export class CheckpointError extends Error {
  readonly userFacing = true;
  override readonly name = "CheckpointError";
}

/** Running sums of a partly trained epoch (what its train loss/accuracy line is computed from). */
export interface PartialEpoch {
  samples: number;
  batches: number;
  lossSum: number;
  ceSum: number;
  correct: number;
  spikes: number[];
  active: number[];
  seconds: number;
}

export interface CheckpointMeta {
  specHash: string;
  specName: string;
  epoch: number;
  samplesDone: number;
  adamSteps: number;
  seed: number;
  backend: string;
  batch: number;
  lr: number;
  epochs: number;
  limit: number | null;
  partial: PartialEpoch | null;
  /** null in checkpoints written before recipes existed: the spec's recipe applies. */
  recipe: RunRecipe | null;
  best: BestEpoch | null;
  created: string;
}

export interface Checkpoint {
  path: string;
  meta: CheckpointMeta;
  tensors: Map<string, Tensor>;
}

export function encodeMeta(meta: CheckpointMeta): Record<string, string> {
  return {
    format: CHECKPOINT_FORMAT,
    specHash: meta.specHash,
    specName: meta.specName,
    epoch: String(meta.epoch),
    samplesDone: String(meta.samplesDone),
    adamSteps: String(meta.adamSteps),
    seed: String(meta.seed),
    backend: meta.backend,
    batch: String(meta.batch),
    lr: String(meta.lr),
    epochs: String(meta.epochs),
    limit: meta.limit === null ? "" : String(meta.limit),
    partial: meta.partial === null ? "" : JSON.stringify(meta.partial),
    ...(meta.recipe === null ? {} : { recipe: JSON.stringify(meta.recipe) }),
    best: meta.best === null ? "" : JSON.stringify(meta.best),
    created: meta.created,
  };
}

function decodeMeta(raw: Record<string, string>, path: string): CheckpointMeta {
  const fail = (what: string): never => {
    throw new CheckpointError(`${path}: ${what}`);
  };
  if (raw.format === undefined) fail(`not an snnc checkpoint (its safetensors metadata has no "format" entry)`);
  if (raw.format !== CHECKPOINT_FORMAT) fail(`unsupported checkpoint format "${raw.format}" (this snnc reads ${CHECKPOINT_FORMAT})`);
  const str = (k: string): string => {
    const v = raw[k];
    if (v === undefined) fail(`corrupt checkpoint: the metadata has no "${k}"`);
    return v as string;
  };
  const int = (k: string): number => {
    const v = str(k);
    const n = Number(v);
    if (v === "" || !Number.isSafeInteger(n) || n < 0) fail(`corrupt checkpoint: metadata "${k}" is ${JSON.stringify(v)}, not a non-negative integer`);
    return n;
  };
  const num = (k: string): number => {
    const v = str(k);
    const n = Number(v);
    if (v === "" || !Number.isFinite(n)) fail(`corrupt checkpoint: metadata "${k}" is ${JSON.stringify(v)}, not a number`);
    return n;
  };
  const json = <T>(k: string): T | null => {
    const v = raw[k] ?? "";
    if (v === "") return null;
    try {
      return JSON.parse(v) as T;
    } catch {
      return fail(`corrupt checkpoint: metadata "${k}" is not valid JSON`);
    }
  };
  const partial = json<PartialEpoch>("partial");
  return {
    specHash: str("specHash"),
    specName: str("specName"),
    epoch: int("epoch"),
    samplesDone: raw.samplesDone === undefined ? 0 : int("samplesDone"),
    adamSteps: int("adamSteps"),
    seed: int("seed"),
    backend: str("backend"),
    batch: int("batch"),
    lr: raw.lr === undefined ? NaN : num("lr"),
    epochs: raw.epochs === undefined ? 0 : int("epochs"),
    limit: raw.limit === undefined || raw.limit === "" ? null : int("limit"),
    partial,
    recipe: json<RunRecipe>("recipe"),
    best: json<BestEpoch>("best"),
    created: raw.created ?? "",
  };
}

/** The model's weights and Adam moments as checkpoint tensors. */
export function modelTensors(model: SnnModel): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  const layers = weightTensors(model.network);
  for (const w of layers) tensors.set(w.name, { dtype: "F32", shape: w.shape, data: model.getWeights(w.name) });
  for (const w of layers) {
    const { m, v } = model.getAdamState(w.name);
    tensors.set(`adam_m_${w.name}`, { dtype: "F32", shape: w.shape, data: m });
    tensors.set(`adam_v_${w.name}`, { dtype: "F32", shape: w.shape, data: v });
  }
  return tensors;
}

/** Writes a checkpoint of `model` atomically; `meta` supplies everything but the tensors and adamSteps. */
export function saveCheckpoint(
  path: string,
  model: SnnModel,
  meta: Omit<CheckpointMeta, "adamSteps" | "specHash" | "specName" | "created" | "recipe" | "best"> & Partial<Pick<CheckpointMeta, "recipe" | "best">>,
): void {
  const full: CheckpointMeta = {
    recipe: null,
    best: null,
    ...meta,
    specHash: model.network.specHash,
    specName: model.network.name,
    adamSteps: model.adamSteps,
    created: new Date().toISOString(),
  };
  writeFileAtomic(path, encodeSafetensors(modelTensors(model), encodeMeta(full)));
}

/** Reads a checkpoint file; corrupt files and foreign safetensors are refused with one sentence. */
export function loadCheckpoint(path: string): Checkpoint {
  const { tensors, metadata } = readSafetensors(path);
  return { path, meta: decodeMeta(metadata, path), tensors };
}

const short = (hash: string) => hash.slice(0, 12);

/** A checkpoint written before the spec hash left out `description` (issue 13) carries the older
 *  hash of the same spec (`olderHash`): it is this spec's, so take it as this spec's hash. */
export function acceptOlderSpecHash(ckpt: Checkpoint, olderHash: string, specHash: string): void {
  if (ckpt.meta.specHash === olderHash) ckpt.meta.specHash = specHash;
}

/** Refuses a checkpoint made from another spec: one sentence naming both. */
export function checkSameSpec(ckpt: Checkpoint, model: { network: { specHash: string; name: string } }, specPath: string): void {
  const { meta } = ckpt;
  if (meta.specHash !== model.network.specHash)
    throw new CheckpointError(
      `${ckpt.path} was trained on spec "${meta.specName}" (hash ${short(meta.specHash)}) but ${specPath} is "${model.network.name}" (hash ${short(model.network.specHash)}); use the spec it was trained with`,
    );
}

/** Loads weights, Adam moments and the Adam step count into `model` (after checkSameSpec). */
export function restoreCheckpoint(model: SnnModel, ckpt: Checkpoint, specPath: string): void {
  checkSameSpec(ckpt, model, specPath);
  const fail = (what: string): never => {
    throw new CheckpointError(`${ckpt.path}: ${what}`);
  };
  const take = (name: string, shape: number[]): Float32Array => {
    const t = ckpt.tensors.get(name);
    if (!t) fail(`corrupt checkpoint: tensor ${name} is missing`);
    if (t!.dtype !== "F32") fail(`corrupt checkpoint: tensor ${name} is ${t!.dtype}, expected F32`);
    if (t!.shape.length !== shape.length || t!.shape.some((d, k) => d !== shape[k]))
      fail(`corrupt checkpoint: tensor ${name} has shape [${t!.shape.join(", ")}], the spec needs [${shape.join(", ")}]`);
    return t!.data as Float32Array;
  };
  for (const { name, shape } of weightTensors(model.network)) {
    model.setWeights(name, take(name, shape));
    model.setAdamState(name, take(`adam_m_${name}`, shape), take(`adam_v_${name}`, shape));
  }
  model.adamSteps = ckpt.meta.adamSteps;
}

/** The first non-finite value among a checkpoint's weight tensors ("w1[5] is NaN"), or null. */
export function nonFiniteWeight(ckpt: Checkpoint): string | null {
  for (const [name, t] of ckpt.tensors) {
    if (name.startsWith("adam_")) continue;
    const d = t.data;
    for (let k = 0; k < d.length; k++) if (!Number.isFinite(d[k])) return `${name}[${k}] is ${d[k]}`;
  }
  return null;
}
