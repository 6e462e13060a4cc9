// Fashion-MNIST augmentation: a pixel's spike moves to the shifted unit with the time it had,
// mirroring is left-right, nothing wraps around an edge, and every draw is one (dx, dy, flip) with
// |dx|, |dy| ≤ k — checked on hand-made images and on the real images of the fashion-mnist package.
// The runtime moves the encoded spikes (augment/image-shift.ts); `shiftImage` here moves pixels, and
// encoding its result must give exactly the same samples, kept encodings or not.

import { describe, expect, it } from "vitest";
import { augmentDataset } from "../../runtime/data/augment.ts";
import { shiftEvents } from "../../runtime/data/augment/image-shift.ts";
import { loadFashionMnist } from "../../runtime/data/fashion-mnist.ts";
import { LatencyImageDataset, type ImageSet } from "../../runtime/data/image-dataset.ts";
import { latencyEncode, type LatencyOptions } from "../../runtime/data/latency-encoding.ts";
import type { SpikeDataset, SpikeSample } from "../../runtime/data/spike-batch.ts";
import { eventSet, expectWellFormed, sameEvents } from "./augment-support.ts";

const W = 28;
const LATENCY: LatencyOptions = { tauEffSteps: 20, theta: 0.2, steps: 100 };

/** One image with the given pixels set, the rest 0. */
function image(pixels: [x: number, y: number, value: number][]): Uint8Array {
  const img = new Uint8Array(W * W);
  for (const [x, y, v] of pixels) img[y * W + x] = v;
  return img;
}

function dataset(images: Uint8Array[], cacheBytes = 0): LatencyImageDataset {
  const set: ImageSet = { count: images.length, rows: W, cols: W, images: new Uint8Array(images.length * W * W), labels: new Uint8Array(images.length) };
  images.forEach((img, i) => {
    set.images.set(img, i * W * W);
    set.labels[i] = i % 10;
  });
  return new LatencyImageDataset("images", set, 10, LATENCY, cacheBytes);
}

/** The pixel oracle: `src` (rows×cols) mirrored left-right when `flip`, then moved by dx columns
 *  and dy rows; uncovered pixels are 0. */
function shiftImage(src: Uint8Array, rows: number, cols: number, dx: number, dy: number, flip: boolean): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      const sy = y - dy, sx = x - dx;
      if (sy >= 0 && sy < rows && sx >= 0 && sx < cols) out[y * cols + x] = src[sy * cols + (flip ? cols - 1 - sx : sx)];
    }
  return out;
}

/** The spike time of unit u in s, or −1 when it does not spike. */
function spikeTime(s: SpikeSample, u: number): number {
  const k = s.units.indexOf(u);
  return k < 0 ? -1 : s.times[k];
}

/** The oracle: the events of `s` (an encoded 28×28 image) with each pixel mirrored, then moved. */
function movedSpikes(s: SpikeSample, dx: number, dy: number, flip: boolean): Set<string> {
  const set = new Set<string>();
  for (let k = 0; k < s.units.length; k++) {
    const y = Math.floor(s.units[k] / W) + dy;
    const x = (flip ? W - 1 - (s.units[k] % W) : s.units[k] % W) + dx;
    if (x >= 0 && x < W && y >= 0 && y < W) set.add(`${s.times[k]}:${y * W + x}`);
  }
  return set;
}

function equalSets(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((e) => b.has(e));
}

/** Every (dx, dy, flip) within the spec's range whose moved base spikes are exactly `out`. */
function matchingMoves(base: SpikeSample, out: SpikeSample, k: number, flips: boolean): string[] {
  const got = eventSet(out);
  const found: string[] = [];
  for (let dx = -k; dx <= k; dx++)
    for (let dy = -k; dy <= k; dy++)
      for (const flip of flips ? [false, true] : [false])
        if (equalSets(movedSpikes(base, dx, dy, flip), got)) found.push(`${dx},${dy},${flip}`);
  return found;
}

describe("image translation and flip on pixels", () => {
  // Two pixels of different brightness, so two different spike times, and a dim one that never spikes.
  const img = image([[5, 7, 255], [20, 3, 120], [10, 10, 30]]);
  const ds = dataset([img]);
  const plain = ds.get(0);

  it("moves a pixel's spike to the shifted unit at the time the unshifted pixel spiked", () => {
    expect(plain.units.length).toBe(2);
    const t0 = spikeTime(plain, 7 * W + 5);
    const t1 = spikeTime(plain, 3 * W + 20);
    expect(t0).toBeGreaterThanOrEqual(0);
    expect(t1).toBeGreaterThan(t0); // the brighter pixel fires first
    const moved = shiftEvents(ds.encoded(0, false), W, W, 3, -2);
    expect(spikeTime(moved, 5 * W + 8)).toBe(t0);
    expect(spikeTime(moved, 1 * W + 23)).toBe(t1);
    expect(spikeTime(moved, 7 * W + 5)).toBe(-1);
    expect(moved.units.length).toBe(2);
    // The same as encoding the moved image from scratch with the dataset's latency options.
    expect(moved).toEqual(latencyEncode(image([[8, 5, 255], [23, 1, 120], [13, 8, 30]]), 0, LATENCY));
    expectWellFormed(moved, 100, W * W);
  });

  it("mirrors left-right: column x goes to 27 − x in the same row", () => {
    const mirrored = ds.encoded(0, true);
    expect(spikeTime(mirrored, 7 * W + 22)).toBe(spikeTime(plain, 7 * W + 5));
    expect(spikeTime(mirrored, 3 * W + 7)).toBe(spikeTime(plain, 3 * W + 20));
    expect(mirrored.units.length).toBe(2);
    // Mirroring reverses unit order within a row; the encoder's output is still sorted.
    expectWellFormed(mirrored, 100, W * W);
  });

  it("fills with zeros: a pixel moved off an edge is gone, nothing wraps into the next row or the far side", () => {
    const edges = image([[27, 4, 255], [0, 9, 255], [12, 0, 255], [12, 27, 255]]);
    const right = shiftImage(edges, W, W, 1, 0, false);
    expect([...right.keys()].filter((i) => right[i] > 0)).toEqual([0 * W + 13, 9 * W + 1, 27 * W + 13]);
    const up = shiftImage(edges, W, W, 0, -1, false);
    expect([...up.keys()].filter((i) => up[i] > 0)).toEqual([3 * W + 27, 8 * W + 0, 26 * W + 12]);
    // Every pixel of a shift is the source pixel it came from or 0, for a whole random image.
    const noise = Uint8Array.from({ length: W * W }, (_, i) => (i * 97 + 13) % 256);
    for (const [dx, dy] of [[3, -5], [-8, 8], [0, 0]]) {
      const s = shiftImage(noise, W, W, dx, dy, false);
      for (let y = 0; y < W; y++)
        for (let x = 0; x < W; x++) {
          const inside = x - dx >= 0 && x - dx < W && y - dy >= 0 && y - dy < W;
          expect(s[y * W + x]).toBe(inside ? noise[(y - dy) * W + x - dx] : 0);
        }
    }
  });

  it("draws one (dx, dy) in [−k, k]² and a fair flip per sample, all of them over many draws", () => {
    const aug = augmentDataset(ds, { translate: 2, flip: true }, 5)!;
    const seen = new Set<string>();
    let flips = 0;
    const draws = 400;
    for (let epoch = 0; epoch < draws; epoch++) {
      const out = aug.sample(0, epoch);
      expectWellFormed(out, 100, W * W);
      expect(out.label).toBe(0);
      const moves = matchingMoves(plain, out, 2, true);
      // The two spiking pixels are not mirror images of each other, so one move explains the draw.
      expect(moves.length).toBe(1);
      seen.add(moves[0]);
      if (moves[0].endsWith("true")) flips++;
    }
    expect(seen.size).toBe(5 * 5 * 2);
    expect(flips / draws).toBeGreaterThan(0.4);
    expect(flips / draws).toBeLessThan(0.6);
  });
});

describe("on the fashion-mnist package's images", () => {
  // The training split as training reads it (keeping its encodings), and one that keeps none.
  const { train } = loadFashionMnist({ ...LATENCY, cacheBytes: 64 * 2 ** 20 });
  const plain = loadFashionMnist({ ...LATENCY, cacheBytes: 0 }).train;

  it("every draw is the encoded image moved by one (dx, dy, flip) in range", () => {
    const aug = augmentDataset(train, { translate: 3, flip: true }, 2024)!;
    let moved = 0;
    for (let i = 0; i < 40; i++)
      for (const epoch of [0, 1]) {
        const base = train.get(i);
        const out = aug.sample(i, epoch);
        expectWellFormed(out, 100, W * W);
        expect(out.label).toBe(train.label(i));
        expect(matchingMoves(base, out, 3, true).length).toBeGreaterThan(0);
        if (out.units.length !== base.units.length || out.units.some((u, k) => u !== base.units[k])) moved++;
      }
    expect(moved).toBeGreaterThan(60); // (0, 0, no flip) is 1 draw in 98
  });

  it("reads the pixels through a view that picks samples by index (a training part with validation held out)", () => {
    const indices = Uint32Array.from([7, 3, 11]);
    const view: SpikeDataset & { base: SpikeDataset; indices: Uint32Array } = {
      name: "train part", length: 3, inputs: train.inputs, steps: train.steps, classes: train.classes,
      base: train, indices, get: (i) => train.get(indices[i]),
    };
    const aug = augmentDataset(view, { translate: 2, flip: true }, 4)!;
    expect(aug.base).toBe(view);
    for (let i = 0; i < 3; i++) {
      const out = aug.sample(i, 0);
      expect(out.label).toBe(train.label(indices[i]));
      expect(matchingMoves(train.get(indices[i]), out, 2, true).length).toBeGreaterThan(0);
    }
    expect(() => aug.sample(3, 0)).toThrow(/train part: sample 3 out of range/);
  });

  it("moving the encoded spikes is encoding the moved pixels, for 1000 images, every move in ±2 and both flips", () => {
    const ds = plain;
    let spikes = 0;
    for (let i = 0; i < 1000; i++)
      for (const flip of [false, true])
        for (let dx = -2; dx <= 2; dx++)
          for (let dy = -2; dy <= 2; dy++) {
            const want = latencyEncode(shiftImage(ds.pixels(i), W, W, dx, dy, flip), ds.label(i), LATENCY);
            const got = shiftEvents(ds.encoded(i, flip), W, W, dx, dy);
            spikes += got.units.length;
            if (!(got.units.length === want.units.length && got.units.every((u, k) => u === want.units[k] && got.times[k] === want.times[k]) && got.label === want.label))
              expect({ image: i, flip, dx, dy, got: eventSet(got) }).toEqual({ image: i, flip, dx, dy, got: eventSet(want) });
          }
    expect(spikes).toBeGreaterThan(1000 * 50 * 200);
  });

  it("a training split that keeps its encodings draws the very samples of one that does not", () => {
    const kept = train;
    const a = augmentDataset(kept, { translate: 1, flip: true }, 11)!;
    const b = augmentDataset(plain, { translate: 1, flip: true }, 11)!;
    for (const epoch of [0, 1, 2])
      for (let i = 0; i < 300; i++) {
        const s = a.sample(i, epoch);
        expect(sameEvents(s, b.sample(i, epoch)), `sample ${i}, epoch ${epoch}`).toBe(true);
        s.units.fill(0); // the caller's to change: the next epoch must not see it
        expect(sameEvents(kept.get(i), plain.get(i)), `get(${i})`).toBe(true);
      }
    expect(kept.cachedBytes).toBeGreaterThan(0);
    expect(kept.cachedBytes).toBeLessThanOrEqual(64 * 2 ** 20);
    expect(plain.cachedBytes).toBe(0);
  });

  it("translate alone never mirrors", () => {
    const aug = augmentDataset(train, { translate: 1 }, 3)!;
    for (let i = 0; i < 30; i++) {
      const moves = matchingMoves(train.get(i), aug.sample(i, 9), 1, true);
      expect(moves.some((m) => m.endsWith("false"))).toBe(true);
    }
  });
});
