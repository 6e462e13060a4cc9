// An in-memory SpikeDataset for eagerly decoded data (SHD, synthetic): all samples' events in
// one pair of flat arrays plus per-sample offsets. Times and units are stored as 16-bit when
// they fit (they do for SHD: < 65536 steps, 700 channels), halving memory against Int32;
// get() widens a sample to the Int32Array that SpikeSample asks for.

import { eventArrays } from "./event-arrays.ts";
import type { SpikeDataset, SpikeSample } from "./spike-batch.ts";

type Store = Uint16Array | Int32Array;

export class PackedDataset implements SpikeDataset {
  constructor(
    readonly name: string,
    readonly inputs: number,
    readonly steps: number,
    readonly classes: number,
    private readonly offsets: Float64Array,
    private readonly times: Store,
    private readonly units: Store,
    private readonly labels: Int32Array,
  ) {}

  get length(): number {
    return this.labels.length;
  }

  /** Total number of events over all samples (after clamping). */
  get events(): number {
    return this.offsets[this.offsets.length - 1];
  }

  get(index: number): SpikeSample {
    if (!Number.isInteger(index) || index < 0 || index >= this.labels.length) {
      throw new RangeError(`${this.name}: sample ${index} out of range [0, ${this.labels.length})`);
    }
    const a = this.offsets[index];
    const b = this.offsets[index + 1];
    const { times, units } = eventArrays(b - a);
    times.set(this.times.subarray(a, b));
    units.set(this.units.subarray(a, b));
    return { times, units, label: this.labels[index] };
  }
}

/** Appends samples, then freezes them into a PackedDataset. */
export class PackedBuilder {
  private offsets: number[] = [0];
  private labels: number[] = [];
  private times: Store;
  private units: Store;
  private n = 0;
  private readonly wide: boolean;

  constructor(
    readonly name: string,
    readonly inputs: number,
    readonly steps: number,
    readonly classes: number,
  ) {
    this.wide = steps > 0x10000 || inputs > 0x10000;
    this.times = this.alloc(4096);
    this.units = this.alloc(4096);
  }

  get count(): number {
    return this.labels.length;
  }

  push(sample: SpikeSample): void {
    const m = sample.times.length;
    if (this.n + m > this.times.length) {
      const cap = Math.max(this.times.length * 2, this.n + m);
      const t = this.alloc(cap);
      const u = this.alloc(cap);
      t.set(this.times.subarray(0, this.n));
      u.set(this.units.subarray(0, this.n));
      this.times = t;
      this.units = u;
    }
    this.times.set(sample.times, this.n);
    this.units.set(sample.units, this.n);
    this.n += m;
    this.offsets.push(this.n);
    this.labels.push(sample.label);
  }

  build(): PackedDataset {
    // Copy out of the growth buffers so the dataset holds exactly its events.
    return new PackedDataset(
      this.name,
      this.inputs,
      this.steps,
      this.classes,
      Float64Array.from(this.offsets),
      this.times.slice(0, this.n),
      this.units.slice(0, this.n),
      Int32Array.from(this.labels),
    );
  }

  private alloc(n: number): Store {
    return this.wide ? new Int32Array(n) : new Uint16Array(n);
  }
}
