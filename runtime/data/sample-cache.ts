// Samples kept in memory from one epoch to the next, for a split that makes them anew on every
// read: N-MNIST (a file opened, read, parsed and sorted per sample, ~120 µs, about as long as
// the training step spends on it; see docs/performance.md), Fashion-MNIST (784 pixels encoded per
// image, a few µs). As Tonic's MemoryCachedDataset, but under a byte budget: samples are kept in
// the order they are first read until the budget is spent, and the rest are made again each time,
// so a machine without the memory trains as before.
//
// A sample is kept compactly: its units as 16-bit integers and the number of its events at each
// step (16-bit, checked as they are counted), 2·(events + steps) bytes,
// about 8.6 kB for an N-MNIST sample of 4000 events at 300 steps (a packed batch holds 4 bytes an
// event). Samples live in 4 MiB chunks, so holding 60 000 of them costs ~100 allocations, not
// 120 000.

import { totalmem } from "node:os";
import { DataError } from "./data-error.ts";
import { eventArrays } from "./event-arrays.ts";
import type { SpikeSample } from "./spike-batch.ts";

const CHUNK_WORDS = 2 * 2 ** 20; // 4 MiB of Uint16; a larger sample gets a chunk of its own

/** Bytes of samples a training split keeps unless told otherwise: SNNC_DATA_CACHE_MB, else 1 GiB or
 *  an eighth of the memory this process may use, whichever is less. N-MNIST's 60 000 training
 *  samples take ~520 MB at ~4000 events each, Fashion-MNIST's ~90–120 MB (each image as it is and
 *  mirrored). */
export function defaultCacheBytes(env: NodeJS.ProcessEnv = process.env, memory = usableMemory()): number {
  const mb = env.SNNC_DATA_CACHE_MB;
  if (mb !== undefined && mb.trim() !== "") {
    const v = Number(mb);
    if (!Number.isFinite(v) || v < 0) throw new DataError("SNNC_DATA_CACHE_MB", `must be a number of MiB ≥ 0 (0 keeps nothing), got "${mb}"`);
    return Math.floor(v * 2 ** 20);
  }
  return Math.min(2 ** 30, Math.floor(memory / 8));
}

/** The machine's memory, or a container's limit on this process where that is less (cgroups:
 *  os.totalmem() reports the host's). */
export function usableMemory(limit = process.constrainedMemory?.() ?? 0, total = totalmem()): number {
  return limit > 0 ? Math.min(limit, total) : total;
}

/** Bytes that several caches draw on together. */
export class ByteBudget {
  private used = 0;
  constructor(readonly bytes: number) {}

  /** Takes `n` bytes if they are left; false (and nothing taken) otherwise. */
  take(n: number): boolean {
    if (this.used + n > this.bytes) return false;
    this.used += n;
    return true;
  }
}

export class SampleCache {
  private readonly chunks: Uint16Array[] = [];
  /** Per sample: its chunk (−1: not kept), its first word there, its number of events. */
  private readonly chunkOf: Int32Array;
  private readonly start: Int32Array;
  private readonly events: Int32Array;
  private readonly labels: Int32Array;
  private used = CHUNK_WORDS; // words used in the last chunk (full: none yet)
  private bytes = 0;
  private full = false;
  private readonly budget: ByteBudget;

  constructor(
    length: number,
    readonly inputs: number,
    readonly steps: number,
    budget: ByteBudget | number,
  ) {
    this.budget = typeof budget === "number" ? new ByteBudget(budget) : budget;
    // Units must fit 16 bits; no shipped dataset comes near (N-MNIST: 2312 inputs at most).
    // Otherwise nothing is kept.
    if (inputs > 0xffff) this.full = true;
    this.chunkOf = new Int32Array(length).fill(-1);
    this.start = new Int32Array(length);
    this.events = new Int32Array(length);
    this.labels = new Int32Array(length);
  }

  /** Bytes of chunks this cache allocated (≤ the budget). */
  get heldBytes(): number {
    return this.bytes;
  }

  /** Sample `index` as kept (new arrays, the caller's to change), or null when it is not. */
  get(index: number): SpikeSample | null {
    const chunk = this.chunkOf[index];
    if (chunk < 0) return null;
    const words = this.chunks[chunk];
    const n = this.events[index];
    const at = this.start[index];
    const { times, units } = eventArrays(n);
    for (let t = 0, k = 0, c = at; t < this.steps; t++, c++) for (let end = k + words[c]; k < end; k++) times[k] = t;
    units.set(words.subarray(at + this.steps, at + this.steps + n));
    return { times, units, label: this.labels[index] };
  }

  /** Keeps sample `index` if the budget has room. A sample that breaks the SpikeSample contract
   *  (times sorted, in [0, steps)) or has more than 65 535 events at one step is not kept: it
   *  would not come back as it went in. */
  put(index: number, sample: SpikeSample): void {
    if (this.full || this.chunkOf[index] >= 0) return;
    const n = sample.times.length;
    const need = this.steps + n;
    if (this.used + need > CHUNK_WORDS) {
      const size = Math.max(CHUNK_WORDS, need);
      if (!this.budget.take(2 * size)) {
        this.full = true;
        return;
      }
      this.chunks.push(new Uint16Array(size));
      this.bytes += 2 * size;
      this.used = 0;
    }
    const words = this.chunks[this.chunks.length - 1];
    const at = this.used;
    const { times, units } = sample;
    for (let k = 0, prev = 0; k < n; k++) {
      const t = times[k];
      const count = t < prev || t >= this.steps ? 0x10000 : words[at + t] + 1;
      if (count > 0xffff) {
        words.fill(0, at, at + this.steps); // the space stays free for the next sample
        return;
      }
      words[at + t] = count;
      prev = t;
    }
    words.set(units, at + this.steps);
    this.used += need;
    this.chunkOf[index] = this.chunks.length - 1;
    this.start[index] = at;
    this.events[index] = n;
    this.labels[index] = sample.label;
  }
}
