// Translation and mirroring of a raw image, done on the pixels and then latency-encoded with the
// dataset's own code: a spike train moved after encoding agrees only while the code treats each
// pixel alone, moving pixels stays right for any code. Pixels moved in from outside are 0.
// The pixels are found through index views too: the trainer augments the training part of a
// split, not the whole image dataset.

import type { SpikeDataset, SpikeSample } from "../spike-batch.ts";

/** A dataset of single-channel images that can encode pixels of its own shape (LatencyImageDataset). */
export interface ImageSource extends SpikeDataset {
  readonly rows: number;
  readonly cols: number;
  pixels(index: number): Uint8Array;
  label(index: number): number;
  encodePixels(pixels: Uint8Array, label: number): SpikeSample;
}

function isImageSource(d: SpikeDataset): d is ImageSource {
  const s = d as Partial<ImageSource>;
  return typeof s.pixels === "function" && typeof s.label === "function" && typeof s.encodePixels === "function" &&
    Number.isInteger(s.rows) && Number.isInteger(s.cols);
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
 * Write into `out` the image `src` (rows×cols, row-major) mirrored left-right when `flip`, then
 * moved by dx columns (positive: right) and dy rows (positive: down); uncovered pixels are 0.
 */
export function shiftImage(src: Uint8Array, rows: number, cols: number, dx: number, dy: number, flip: boolean, out: Uint8Array): Uint8Array {
  out.fill(0);
  // The rows and columns that receive a pixel, so the inner loops test nothing per pixel.
  const y0 = Math.max(0, dy), y1 = Math.min(rows, rows + dy);
  const x0 = Math.max(0, dx), x1 = Math.min(cols, cols + dx);
  for (let y = y0; y < y1; y++) {
    const o = y * cols, s = (y - dy) * cols;
    if (flip) for (let x = x0; x < x1; x++) out[o + x] = src[s + cols - 1 - (x - dx)];
    else for (let x = x0; x < x1; x++) out[o + x] = src[s + x - dx];
  }
  return out;
}
