// Turning raw (step, unit) events into a SpikeSample: sorted by time then unit, duplicates at the
// same (step, unit) clamped to one spike. Event-camera and cochlea datasets deliver events in
// file order with many repeats per bin; the batch format wants each input spike once.

import { eventArrays } from "./event-arrays.ts";
import { sortKeys } from "./radix-sort.ts";
import type { SpikeSample } from "./spike-batch.ts";

/**
 * Collects events of one sample as keys step·inputs + unit. Reused across samples by the readers
 * (reset() keeps the buffer) so decoding does not allocate per event.
 */
export class EventCollector {
  private keys: Int32Array;
  /** The radix sort's second buffer, as long as `keys`. */
  private scratch: Int32Array;
  private n = 0;

  constructor(
    readonly inputs: number,
    readonly steps: number,
    capacity = 1024,
  ) {
    // Keys must fit an int32 (typed-array sort is numeric and fast for Int32Array).
    if (steps * inputs > 0x7fffffff) {
      throw new RangeError(`steps·inputs = ${steps * inputs} is too large for one sample`);
    }
    this.keys = new Int32Array(Math.max(16, capacity));
    this.scratch = new Int32Array(this.keys.length);
  }

  reset(): void {
    this.n = 0;
  }

  get size(): number {
    return this.n;
  }

  /** Add one event; the caller has checked 0 ≤ step < steps and 0 ≤ unit < inputs. */
  add(step: number, unit: number): void {
    if (this.n === this.keys.length) {
      const grown = new Int32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
      this.scratch = new Int32Array(grown.length);
    }
    this.keys[this.n++] = step * this.inputs + unit;
  }

  /** The collected events as a sample (arrays of its own, not the collector's), sorted and de-duplicated. */
  toSample(label: number): SpikeSample {
    const keys = sortKeys(this.keys, this.n, this.steps * this.inputs - 1, this.scratch);
    const n = this.n;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (i === 0 || keys[i] !== keys[i - 1]) keys[m++] = keys[i];
    }
    const { times, units } = eventArrays(m);
    const inputs = this.inputs;
    for (let i = 0; i < m; i++) {
      const k = keys[i];
      const t = Math.floor(k / inputs);
      times[i] = t;
      units[i] = k - t * inputs;
    }
    return { times, units, label };
  }
}
