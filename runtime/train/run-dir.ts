// The run directory, runs/<model>-<YYYYMMDD-HHMMSS>/ (or --out):
//   spec.json           the resolved spec (every default filled in)
//   run.json            settings and origin of the run (backend, data source, seed, batch, lr, …)
//   metrics.jsonl       one JSON line per epoch ({"type":"epoch", …}) and every N batches ({"type":"batch", …})
//   raster.json         spikes of one test sample after the latest epoch (for the report)
//   checkpoint-epoch-<k>.safetensors, last.safetensors, best.safetensors (best validation epoch)
//   report.html         self-contained report (snnc report <dir> rebuilds it)
//   bench.json          optional: sparse vs dense timings, drawn by the report when present

import { makeDirs } from "../../compiler/util/make-dirs.ts";
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { environmentError, withPath, writeFileAtomic } from "../../compiler/util/atomic-write.ts";
import type { SplitSummary } from "./stats.ts";
import type { AugmentSpec, ResolvedSchedule } from "../../compiler/spec/types.ts";

export const METRICS_FILE = "metrics.jsonl";
export const RUN_FILE = "run.json";
export const SPEC_FILE = "spec.json";
export const RASTER_FILE = "raster.json";
export const REPORT_FILE = "report.html";
export const BENCH_FILE = "bench.json";
export const LAST_CHECKPOINT = "last.safetensors";
/** The epoch with the best validation accuracy so far (runs with a validation split). */
export const BEST_CHECKPOINT = "best.safetensors";
export const epochCheckpoint = (epoch: number) => `checkpoint-epoch-${epoch}.safetensors`;

export interface RunInfo {
  model: string;
  spec: string;
  specHash: string;
  backend: string;
  data: string;
  seed: number;
  batch: number;
  lr: number;
  epochs: number;
  limit: number | null;
  trainSamples: number;
  testSamples: number;
  /** Held-out validation samples evaluated each epoch (0: none). */
  valSamples: number;
  schedule: ResolvedSchedule;
  weightDecay: number;
  clipGradNorm: number | null;
  earlyStop: number | null;
  augment: AugmentSpec;
  started: string;
  resumedFrom?: string;
  /** The weights file of `--init`, when the run started from given weights. */
  initFrom?: string;
  /** A data-parallel run under MPI (runtime/mpi/): its ranks, hosts and MPI library, how the
   *  gradients were reduced ("in-place" on the CPU backend, "host-staging" or "cuda-aware" on
   *  CUDA; NCCL is not used) and the bytes each rank reduces per step. */
  mpi?: {
    ranks: number;
    library: string;
    hosts: string[];
    cudaAware: boolean;
    timeoutSeconds: number;
    gradientReduce: "in-place" | "host-staging" | "cuda-aware";
    bytesPerStep: number;
    nccl: false;
    /** Rank 0's GPU (runtime/mpi/gpu-per-rank.ts) on the CUDA backend. */
    gpu?: { how: "local-rank" | "preset"; device?: number; of?: number; visible: string };
  };
}

export interface EpochRecord {
  type: "epoch";
  /** 1-based. */
  epoch: number;
  epochs: number;
  train: SplitSummary;
  /** The held-out validation split (absent in runs without one). */
  val?: SplitSummary;
  test: SplitSummary;
  /** Wall time of the epoch: training and evaluation. */
  seconds: number;
  trainSeconds: number;
  evalSeconds: number;
  /** Training samples per second of training time. */
  samplesPerSecond: number;
  /** The learning rate of the epoch's last step (the schedule's value there). */
  lr: number;
  adamSteps: number;
  time: string;
}

export interface BatchRecord {
  type: "batch";
  /** 1-based epoch and batch number. */
  epoch: number;
  batch: number;
  batches: number;
  /** Mean loss and accuracy over the batches since the previous batch record. */
  loss: number;
  accuracy: number;
}

export type MetricsRecord = EpochRecord | BatchRecord;

/** YYYYMMDD-HHMMSS in local time. */
export function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A fresh runs/<model>-<timestamp> directory (suffixed -2, -3, … when one already exists). */
export function createRunDir(root: string, model: string, now = new Date()): string {
  const base = join(root, `${model}-${timestamp(now)}`);
  withPath(root, () => makeDirs(root), "create");
  // mkdir of the last component is atomic: two runs started in the same second get two folders.
  for (let k = 1; ; k++) {
    const dir = k === 1 ? base : `${base}-${k}`;
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw environmentError(e, dir, "create") ?? e;
    }
  }
}

export function writeJson(path: string, value: unknown, compact = false): void {
  writeFileAtomic(path, `${compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
}

export function appendMetrics(dir: string, record: MetricsRecord): void {
  const path = join(dir, METRICS_FILE);
  withPath(path, () => {
    const size = existsSync(path) ? statSync(path).size : 0;
    try {
      appendFileSync(path, `${JSON.stringify(record)}\n`);
    } catch (e) {
      // A full disk may take half the line: cut it off again, so the file stays valid JSON lines.
      try {
        truncateSync(path, size);
      } catch {
        // nothing more to do; the error below says what happened
      }
      throw e;
    }
  }, "write");
}

export class RunDirError extends Error {
  readonly userFacing = true;
  override readonly name = "RunDirError";
}

/** Every record of metrics.jsonl; a bad line is reported with its number. */
export function readMetrics(dir: string): MetricsRecord[] {
  const path = join(dir, METRICS_FILE);
  if (!existsSync(path)) throw new RunDirError(`${dir}: not a run directory (no ${METRICS_FILE}); pass the folder snnc train wrote`);
  const out: MetricsRecord[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, k) => {
      if (line.trim() === "") return;
      try {
        out.push(JSON.parse(line) as MetricsRecord);
      } catch {
        throw new RunDirError(`${path}: line ${k + 1} is not valid JSON`);
      }
    });
  return out;
}

/** Keeps only the records `keep` accepts (used when a run resumes from an earlier checkpoint). */
export function filterMetrics(dir: string, keep: (r: MetricsRecord) => boolean): void {
  const path = join(dir, METRICS_FILE);
  if (!existsSync(path)) return;
  const kept = readMetrics(dir).filter(keep);
  writeFileAtomic(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(""));
}

/** Writes the records of `from`'s metrics that `keep` accepts into `to` (a new branch of a run). */
export function copyMetrics(from: string, to: string, keep: (r: MetricsRecord) => boolean): void {
  if (!existsSync(join(from, METRICS_FILE))) return;
  const kept = readMetrics(from).filter(keep);
  writeFileAtomic(join(to, METRICS_FILE), kept.map((r) => `${JSON.stringify(r)}\n`).join(""));
}
