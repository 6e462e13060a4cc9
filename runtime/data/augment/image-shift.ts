// Translation and mirroring of an image for augmentation, as the encoded image's spikes: the
// dataset encodes the image as it is or mirrored (and may keep that encoding from one epoch to the
// next), and each spike then moves with its pixel, at its own time. That is exactly encoding the
// moved image for a code that treats each pixel alone and leaves a 0 pixel silent, as the latency
// code does (test/data/augment-image.test.ts compares the two on the package's images), and
// costs a pass over ~400 spikes instead of encoding 784 pixels. Pixels moved in from outside are 0,
// so they add no spike. The images are found through index views too: the trainer augments the
// training part of a split, not the whole image dataset.

import type { SpikeDataset, SpikeSample } from "../spike-batch.ts";

/** A dataset of single-channel images whose samples are per-pixel codes of them (LatencyImageDataset). */
export interface ImageSource extends SpikeDataset {
  readonly rows: number;
  readonly cols: number;
  label(index: number): number;
  /** Image `index` encoded, mirrored left-right first when `mirrored`; arrays the caller may change. */
  encoded(index: number, mirrored: boolean): SpikeSample;
}

function isImageSource(d: SpikeDataset): d is ImageSource {
  const s = d as Partial<ImageSource>;
  return typeof s.encoded === "function" && typeof s.label === "function" && Number.isInteger(s.rows) && Number.isInteger(s.cols);
}

/** A view that picks some samples of another dataset by index (the training part left when a
 *  validation split is held out: sample i is base.get(indices[i])). */
interface IndexView extends SpikeDataset {
  readonly base: SpikeDataset;
  readonly indices: ArrayLike<number>;
}

function isIndexView(d: SpikeDataset): d is IndexView {
  const v = d as Partial<IndexView>;
  return typeof v.base?.get === "function" && v.indices !== undefined && typeof v.indices.length === "number";
}

/**
 * The images behind `d` and where its sample i lies among them: `d` itself, or the image dataset
 * under index views, so that the training part of a split still has pixels to move. Null when
 * `d` holds no images.
 */
export function imagesOf(d: SpikeDataset): { images: ImageSource; at: (index: number) => number } | null {
  if (isImageSource(d)) return { images: d, at: (i) => i };
  if (!isIndexView(d)) return null;
  const inner = imagesOf(d.base);
  if (!inner) return null;
  const { indices, name } = d;
  return {
    images: inner.images,
    at: (i) => {
      if (!Number.isInteger(i) || i < 0 || i >= indices.length) throw new RangeError(`${name}: sample ${i} out of range [0, ${indices.length})`);
      return inner.at(indices[i]);
    },
  };
}

/**
 * The spikes of an encoded rows×cols image (units y·cols + x), each moved by dx columns (positive:
 * right) and dy rows (positive: down) at its own time; a spike moved off the image is dropped, none
 * wraps to the next row or the far side. Works in place on `s`'s arrays and returns views of them:
 * the move adds the same amount to every unit kept, so the events stay sorted by (time, unit).
 */
export function shiftEvents(s: SpikeSample, rows: number, cols: number, dx: number, dy: number): SpikeSample {
  if (dx === 0 && dy === 0) return s;
  const { times, units } = s;
  const by = dy * cols + dx;
  let m = 0;
  for (let k = 0; k < units.length; k++) {
    const u = units[k];
    const y = Math.floor(u / cols) + dy;
    const x = u % cols + dx;
    if (x < 0 || x >= cols || y < 0 || y >= rows) continue;
    times[m] = times[k];
    units[m] = u + by;
    m++;
  }
  return { times: times.subarray(0, m), units: units.subarray(0, m), label: s.label };
}
