// 8-bit grey images with labels, and the SpikeDataset that latency-encodes them on demand.
// Raw pixels are 784 B per Fashion-MNIST image against ~2.4 kB for their encoded events, and
// table-driven encoding costs a few microseconds, so encoding lazily in get() beats storing spikes.

import type { SpikeDataset, SpikeSample } from "./spike-batch.ts";
import { makeLatencyEncoder, type LatencyOptions, type PixelEncoder } from "./latency-encoding.ts";

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

  constructor(
    readonly name: string,
    private readonly set: ImageSet,
    readonly classes: number,
    opts: LatencyOptions,
  ) {
    this.size = set.rows * set.cols;
    this.inputs = this.size;
    this.steps = opts.steps;
    this.encode = makeLatencyEncoder(opts);
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
    return this.encode(this.pixels(index), this.set.labels[index]);
  }

  /** Latency-encode an image of this dataset's shape with this dataset's code: augmentation
   *  (runtime/data/augment.ts) moves the pixels and encodes the result, never a spike train. */
  encodePixels(pixels: Uint8Array, label: number): SpikeSample {
    if (pixels.length !== this.size) throw new RangeError(`${this.name}: an image has ${this.size} pixels, got ${pixels.length}`);
    return this.encode(pixels, label);
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.set.count) {
      throw new RangeError(`${this.name}: sample ${index} out of range [0, ${this.set.count})`);
    }
  }
}
