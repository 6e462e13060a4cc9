// Decoded samples kept in memory from one epoch to the next, for data decoded from files on every
// read (N-MNIST: a file opened, read, parsed and sorted per sample, ~120 µs, about as long as the
// training step spends on it; see docs/performance.md). As Tonic's MemoryCachedDataset, but under
// a byte budget: samples are kept in the order they are first read until the budget is spent, and
// the rest are decoded again each time, so a machine without the memory trains as before.
//
// A sample is kept compactly: its units as 16-bit integers and the number of its events at each
// step (16-bit: at most one event per unit and step, and units < 65536), 2·(events + steps) bytes,
// about 8.6 kB for an N-MNIST sample of 4000 events at 300 steps (a packed batch holds 4 bytes an
// event). Samples live in 4 MiB chunks, so holding 60 000 of them costs ~100 allocations, not
// 120 000.

import { eventArrays } from "./event-arrays.ts";
import type { SpikeSample } from "./spike-batch.ts";

const CHUNK_WORDS = 2 * 2 ** 20; // 4 MiB of Uint16; a larger sample gets a chunk of its own

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

  constructor(
    length: number,
    readonly inputs: number,
    readonly steps: number,
    readonly budgetBytes: number,
  ) {
    // Units and per-step counts must fit 16 bits; no shipped dataset comes near (N-MNIST: 2312
    // inputs at most, 300 steps). Otherwise nothing is kept.
    if (inputs > 0xffff || steps > 0xffff) this.full = true;
    this.chunkOf = new Int32Array(length).fill(-1);
    this.start = new Int32Array(length);
    this.events = new Int32Array(length);
    this.labels = new Int32Array(length);
  }

  /** Bytes of chunks allocated (≤ the budget). */
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

  /** Keeps sample `index` (sorted by step, as every SpikeSample is) if the budget has room. */
  put(index: number, sample: SpikeSample): void {
    if (this.full || this.chunkOf[index] >= 0) return;
    const n = sample.times.length;
    const need = this.steps + n;
    if (this.used + need > CHUNK_WORDS) {
      const size = Math.max(CHUNK_WORDS, need);
      if (this.bytes + 2 * size > this.budgetBytes) {
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
    for (let k = 0; k < n; k++) words[at + times[k]]++;
    words.set(units, at + this.steps);
    this.used += need;
    this.chunkOf[index] = this.chunks.length - 1;
    this.start[index] = at;
    this.events[index] = n;
    this.labels[index] = sample.label;
  }
}
