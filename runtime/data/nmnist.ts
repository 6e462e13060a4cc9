// N-MNIST (Orchard et al. 2015) from its directory tree: Train/<digit>/*.bin and Test/<digit>/*.bin,
// one file per sample. Each event is 5 bytes:
//   byte0 = x, byte1 = y, byte2 = polarity (bit 7) | t[22:16] (bits 6..0), byte3 = t[15:8], byte4 = t[7:0]
// with t in microseconds. Reference preprocessing (docs/design.md §2): 34×34 sensor, both polarities
// merged → unit = y·34 + x (1156 inputs), bins of binMs (1 ms), the first `steps` bins (300),
// several events in one (bin, unit) clamp to one spike. With `polarityChannels` the polarities stay
// apart as the channels of a [2, 34, 34] input, unit = p·1156 + y·34 + x: channel 0 is OFF (p = 0),
// channel 1 is ON (p = 1), the file's polarity bit as the channel index, as Tonic's frames (which
// the NIR paper's CNN was trained on) index them.
//
// Samples are decoded lazily in get(), a file at a time: all 70 000 of them as Int32 events would be
// ~2 GB. Both splits keep what they decoded, compactly and up to one budget (sample-cache.ts):
// training reads every training sample each epoch, and each evaluation every test sample (whose
// packed batches, ~170 MB, need not fit the trainer's 256 MiB for them beside the validation
// split's). A bad file surfaces when its sample is first read, still as a DataError with the file
// and byte offset.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "./data-error.ts";
import { EventCollector } from "./events.ts";
import { FileReader } from "./file-reader.ts";
import { ByteBudget, defaultCacheBytes, SampleCache } from "./sample-cache.ts";
import type { SpikeDataset, SpikeSample } from "./spike-batch.ts";

export const NMNIST_SIZE = 34;
export const NMNIST_INPUTS = NMNIST_SIZE * NMNIST_SIZE;
/** Inputs with the polarities as two channels ([2, 34, 34]). */
export const NMNIST_CHANNEL_INPUTS = 2 * NMNIST_INPUTS;
export const NMNIST_CLASSES = 10;
const EVENT_BYTES = 5;

export interface NmnistOptions {
  /** Bin width in milliseconds (reference: 1). */
  binMs: number;
  /** Number of bins kept from t = 0 (reference: 300). */
  steps: number;
  /** Keep OFF and ON events apart as channels 0 and 1 of a [2, 34, 34] input (default: merged). */
  polarityChannels?: boolean;
}

/** Input neurons a sample has under these options. */
export function nmnistInputs(opts: NmnistOptions): number {
  return opts.polarityChannels ? NMNIST_CHANNEL_INPUTS : NMNIST_INPUTS;
}

/** Decode one .bin file's bytes into a sample (events sorted, clamped). */
export function decodeNmnist(file: string, bytes: Uint8Array, label: number, opts: NmnistOptions, collector?: EventCollector): SpikeSample {
  checkOptions(opts);
  const events = collector ?? new EventCollector(nmnistInputs(opts), opts.steps);
  // The polarity bit (bit 7 of byte 2) picks the channel, or is dropped when polarities merge.
  const channelSize = opts.polarityChannels ? NMNIST_INPUTS : 0;
  events.reset();
  const whole = bytes.length - (bytes.length % EVENT_BYTES);
  if (whole !== bytes.length) {
    throw new DataError(file, `file length ${bytes.length} is not a multiple of ${EVENT_BYTES} (a 5-byte event is cut off)`, { offset: whole });
  }
  const binUs = opts.binMs * 1000;
  const steps = opts.steps;
  for (let p = 0; p < whole; p += EVENT_BYTES) {
    const x = bytes[p];
    const y = bytes[p + 1];
    if (x >= NMNIST_SIZE || y >= NMNIST_SIZE) {
      throw new DataError(file, `event ${p / EVENT_BYTES}: (x, y) = (${x}, ${y}) outside the ${NMNIST_SIZE}×${NMNIST_SIZE} sensor`, { offset: p });
    }
    const tUs = ((bytes[p + 2] & 0x7f) << 16) | (bytes[p + 3] << 8) | bytes[p + 4];
    const bin = Math.floor(tUs / binUs);
    if (bin < steps) events.add(bin, (bytes[p + 2] >> 7) * channelSize + y * NMNIST_SIZE + x);
  }
  return events.toSample(label);
}

/** Lazily decoded N-MNIST split: holds file paths and labels, and keeps decoded samples in memory
 *  while `cache` (bytes, or a budget shared with other splits) lasts (0: none). */
export class NmnistDataset implements SpikeDataset {
  readonly inputs: number;
  readonly classes = NMNIST_CLASSES;
  readonly steps: number;
  private readonly collector: EventCollector;
  private readonly reader = new FileReader();
  private readonly cache: SampleCache | null;

  constructor(
    readonly name: string,
    readonly files: readonly string[],
    readonly labels: Int32Array,
    private readonly opts: NmnistOptions,
    cache: ByteBudget | number = 0,
  ) {
    checkOptions(opts);
    this.steps = opts.steps;
    this.inputs = nmnistInputs(opts);
    this.collector = new EventCollector(this.inputs, opts.steps, 8192);
    const bytes = typeof cache === "number" ? cache : cache.bytes;
    this.cache = bytes > 0 ? new SampleCache(files.length, this.inputs, this.steps, cache) : null;
  }

  /** Bytes of decoded samples held in memory now. */
  get cachedBytes(): number {
    return this.cache?.heldBytes ?? 0;
  }

  get length(): number {
    return this.files.length;
  }

  get(index: number): SpikeSample {
    if (!Number.isInteger(index) || index < 0 || index >= this.files.length) {
      throw new RangeError(`${this.name}: sample ${index} out of range [0, ${this.files.length})`);
    }
    const kept = this.cache?.get(index);
    if (kept) return kept;
    const file = this.files[index];
    let bytes: Uint8Array;
    try {
      bytes = this.reader.read(file);
    } catch (e) {
      throw new DataError(file, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const sample = decodeNmnist(file, bytes, this.labels[index], this.opts, this.collector);
    this.cache?.put(index, sample);
    return sample;
  }
}

/** List <split>/<digit>/*.bin, digits ascending, file names ascending (byte order). */
export function listNmnistSplit(dir: string, split: "Train" | "Test"): { files: string[]; labels: Int32Array } {
  const root = join(dir, split);
  if (!isDir(root)) {
    throw new DataError(root, `directory not found; N-MNIST needs ${split}/<digit>/*.bin (and ${split === "Train" ? "Test" : "Train"}/) under --data`);
  }
  const files: string[] = [];
  const labels: number[] = [];
  const digits = readdirSync(root).filter((d) => /^[0-9]$/.test(d) && isDir(join(root, d))).sort();
  for (const d of digits) {
    const names = readdirSync(join(root, d)).filter((f) => f.endsWith(".bin")).sort(byteOrder);
    for (const f of names) {
      files.push(join(root, d, f));
      labels.push(Number(d));
    }
  }
  if (files.length === 0) {
    throw new DataError(root, `no .bin files in ${split}/0 … ${split}/9`);
  }
  checkFileSizes(files);
  return { files, labels: Int32Array.from(labels) };
}

/** Both splits, keeping their decoded samples in memory up to `cacheBytes` between them (default:
 *  defaultCacheBytes()); the training split reads first, so it has the budget first. */
export function loadNmnist(opts: NmnistOptions & { dir: string; cacheBytes?: number }): { train: NmnistDataset; test: NmnistDataset; source: string } {
  const train = listNmnistSplit(opts.dir, "Train");
  const test = listNmnistSplit(opts.dir, "Test");
  const o: NmnistOptions = { binMs: opts.binMs, steps: opts.steps, polarityChannels: opts.polarityChannels ?? false };
  const cacheBytes = opts.cacheBytes ?? defaultCacheBytes();
  const cache = cacheBytes > 0 ? `; decoded samples kept in memory, up to ${Math.round(cacheBytes / 2 ** 20)} MiB (SNNC_DATA_CACHE_MB)` : "";
  const budget = new ByteBudget(cacheBytes);
  return {
    train: new NmnistDataset("nmnist/train", train.files, train.labels, o, budget),
    test: new NmnistDataset("nmnist/test", test.files, test.labels, o, budget),
    source: `N-MNIST .bin files in ${opts.dir} (${train.files.length} train / ${test.files.length} test${o.polarityChannels ? ", polarities as channels OFF, ON" : ""}${cache})`,
  };
}

/** Both splits are checked up front, by size only (a stat per file, no reading): a file cut off
 *  mid-event in Test/ is reported before training, not after a whole un-checkpointed epoch. */
function checkFileSizes(files: readonly string[]): void {
  for (const file of files) {
    let size: number;
    try {
      size = statSync(file).size;
    } catch (e) {
      throw new DataError(file, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (size % EVENT_BYTES !== 0)
      throw new DataError(file, `file length ${size} is not a multiple of ${EVENT_BYTES} (a 5-byte event is cut off)`, { offset: size - (size % EVENT_BYTES) });
  }
}

function checkOptions(opts: NmnistOptions): void {
  if (!(opts.binMs > 0) || !Number.isFinite(opts.binMs)) throw new RangeError(`N-MNIST: binMs must be a positive number, got ${opts.binMs}`);
  if (!Number.isInteger(opts.steps) || opts.steps < 1) throw new RangeError(`N-MNIST: steps must be a positive integer, got ${opts.steps}`);
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
