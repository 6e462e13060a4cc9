// 8-bit grey images with labels, and the SpikeDataset that latency-encodes them on demand. Raw
// pixels are 784 B per Fashion-MNIST image, and table-driven encoding costs a few microseconds, so
// the images are encoded in get(). A training split may keep the encodings it made (each image as
// it is and mirrored, for the flip augmentation; sample-cache.ts, ~1 kB an image): training
// encodes every image every epoch otherwise, about a third as long as it trains on it.

import type { SpikeDataset, SpikeSample } from "./spike-batch.ts";
import { makeLatencyEncoder, type LatencyOptions, type PixelEncoder } from "./latency-encoding.ts";
import { ByteBudget, SampleCache } from "./sample-cache.ts";

export interface ImageSet {
  count: number;
  rows: number;
  cols: number;
  /** count·rows·cols bytes, image-major, row-major within an image. */
  images: Uint8Array;
  /** count class indices. */
  labels: Uint8Array;
}

export class LatencyImageDataset implements SpikeDataset {
  readonly inputs: number;
  readonly steps: number;
  private readonly encode: PixelEncoder;
  private readonly size: number;
  /** The encodings kept, of the images as they are and mirrored (null: none kept). */
  private readonly caches: [SampleCache, SampleCache] | null;
  private readonly mirror: Uint8Array;

  /** `cacheBytes`: how much of the encodings to keep between reads, both kinds together (0: none). */
  constructor(
    readonly name: string,
    private readonly set: ImageSet,
    readonly classes: number,
    opts: LatencyOptions,
    cacheBytes = 0,
  ) {
    this.size = set.rows * set.cols;
    this.inputs = this.size;
    this.steps = opts.steps;
    this.encode = makeLatencyEncoder(opts);
    this.mirror = new Uint8Array(this.size);
    const budget = new ByteBudget(cacheBytes);
    this.caches = cacheBytes > 0 ? [0, 1].map(() => new SampleCache(set.count, this.size, this.steps, budget)) as [SampleCache, SampleCache] : null;
  }

  /** Bytes of encodings held in memory now. */
  get cachedBytes(): number {
    return this.caches ? this.caches[0].heldBytes + this.caches[1].heldBytes : 0;
  }

  get length(): number {
    return this.set.count;
  }

  get rows(): number {
    return this.set.rows;
  }

  get cols(): number {
    return this.set.cols;
  }

  /** The raw pixels of one image (a view, not a copy). */
  pixels(index: number): Uint8Array {
    this.check(index);
    return this.set.images.subarray(index * this.size, (index + 1) * this.size);
  }

  label(index: number): number {
    this.check(index);
    return this.set.labels[index];
  }

  get(index: number): SpikeSample {
    return this.encoded(index, false);
  }

  /**
   * Image `index` latency-encoded, mirrored left-right first when `mirrored` (arrays the caller may
   * change). The translate augmentation moves these events (augment/image-shift.ts): the code
   * treats each pixel alone and a 0 pixel never spikes (θ ≥ 0), so moving the spikes is encoding
   * the moved pixels.
   */
  encoded(index: number, mirrored: boolean): SpikeSample {
    this.check(index);
    const cache = this.caches?.[mirrored ? 1 : 0];
    const kept = cache?.get(index);
    if (kept) return kept;
    const sample = this.encode(mirrored ? this.mirrored(index) : this.pixels(index), this.set.labels[index]);
    cache?.put(index, sample);
    return sample;
  }

  /** Image `index` mirrored left-right, in a buffer reused by the next call. */
  private mirrored(index: number): Uint8Array {
    const { rows, cols } = this.set;
    const src = this.pixels(index);
    for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) this.mirror[y * cols + x] = src[y * cols + cols - 1 - x];
    return this.mirror;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.set.count) {
      throw new RangeError(`${this.name}: sample ${index} out of range [0, ${this.set.count})`);
    }
  }
}
