// Samples' event arrays are views into shared slabs (runtime/data/event-arrays.ts): each must still
// behave as arrays of its own, across slab boundaries, and the encoders that reuse scratch must
// give every sample the events it would get alone.

import { describe, expect, it } from "vitest";
import { eventArrays } from "../../runtime/data/event-arrays.ts";
import { latencyEncode, makeLatencyEncoder } from "../../runtime/data/latency-encoding.ts";
import { Rng } from "../../runtime/util/rng.ts";

describe("event arrays from a shared slab", () => {
  it("are zero-filled and never overlap, across several slabs", () => {
    const made: { times: Int32Array; units: Int32Array; k: number }[] = [];
    // 3000 samples of ~330 events: 2 M ints, several 256 Ki-int slabs.
    for (let k = 0; k < 3000; k++) {
      const n = 300 + (k % 61);
      const { times, units } = eventArrays(n);
      expect(times.length).toBe(n);
      expect(units.length).toBe(n);
      expect(times.every((x) => x === 0) && units.every((x) => x === 0), `sample ${k} starts at zero`).toBe(true);
      times.fill(k);
      units.fill(-k);
      made.push({ times, units, k });
    }
    for (const { times, units, k } of made) {
      expect(times.every((x) => x === k) && units.every((x) => x === -k), `sample ${k} kept its own values`).toBe(true);
    }
  });

  it("gives a large sample arrays of its own", () => {
    const { times, units } = eventArrays(200_000);
    expect(times.buffer.byteLength).toBe(200_000 * 4);
    expect(units.buffer).not.toBe(times.buffer);
  });
});

describe("a latency encoder used for many images", () => {
  it("gives each image the events latencyEncode gives it alone, and earlier samples keep theirs", () => {
    const opts = { tauEffSteps: 20, theta: 0.2, steps: 100 };
    const encode = makeLatencyEncoder(opts);
    const rng = new Rng(3);
    const images = Array.from({ length: 2000 }, () => Uint8Array.from({ length: 784 }, () => (rng.next() < 0.5 ? 0 : Math.floor(rng.next() * 256))));
    const samples = images.map((px, k) => encode(px, k % 10));
    images.forEach((px, k) => {
      const alone = latencyEncode(px, k % 10, opts);
      expect(samples[k].times.length, `image ${k}`).toBeGreaterThan(0);
      expect(Array.from(samples[k].times), `image ${k} times`).toEqual(Array.from(alone.times));
      expect(Array.from(samples[k].units), `image ${k} units`).toEqual(Array.from(alone.units));
      expect(samples[k].label).toBe(alone.label);
    });
  });
});
