// The in-memory cache of decoded samples (runtime/data/sample-cache.ts) and its use by the N-MNIST
// training split: a kept sample comes back exactly, as arrays of its own; the budget is never
// exceeded and samples past it are simply not kept.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/data-error.ts";
import { EventCollector } from "../../runtime/data/events.ts";
import { loadNmnist } from "../../runtime/data/nmnist.ts";
import { defaultCacheBytes, SampleCache, usableMemory } from "../../runtime/data/sample-cache.ts";
import type { SpikeSample } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";
import { sameEvents } from "./augment-support.ts";

const MiB = 2 ** 20;

function randomSample(rng: Rng, inputs: number, steps: number, events: number, label: number): SpikeSample {
  const c = new EventCollector(inputs, steps);
  for (let k = 0; k < events; k++) c.add(rng.int(0, steps - 1), rng.int(0, inputs - 1));
  return c.toSample(label);
}

describe("SampleCache", () => {
  it("gives back each kept sample exactly, as arrays the caller may change", () => {
    const rng = new Rng(3);
    const samples = [0, 1, 5, 4000, 300, 2, 12_000].map((n, i) => randomSample(rng, 1156, 300, n, i % 10));
    const cache = new SampleCache(samples.length, 1156, 300, 64 * MiB);
    // Kept in another order than their indices, as an epoch's shuffle reads them.
    for (const i of [3, 0, 6, 1, 5, 2, 4]) {
      expect(cache.get(i)).toBeNull();
      cache.put(i, samples[i]);
    }
    for (let i = 0; i < samples.length; i++) {
      const got = cache.get(i)!;
      expect(sameEvents(got, samples[i]), `sample ${i}`).toBe(true);
      got.units.fill(7);
      got.times.fill(0);
      expect(sameEvents(cache.get(i)!, samples[i]), `sample ${i} after changing a copy`).toBe(true);
    }
    expect(cache.heldBytes).toBe(4 * MiB);
  });

  it("keeps samples until the budget is spent and never more", () => {
    const rng = new Rng(5);
    const n = 2000; // 2·(300 + ~1000) bytes each: ~5.2 MB, more than one 4 MiB chunk
    const samples = Array.from({ length: n }, (_, i) => randomSample(rng, 1156, 300, 1000, i % 10));
    const cache = new SampleCache(n, 1156, 300, 4 * MiB + 1000);
    for (let i = 0; i < n; i++) cache.put(i, samples[i]);
    expect(cache.heldBytes).toBe(4 * MiB);
    const kept = samples.filter((_, i) => cache.get(i) !== null).length;
    expect(kept).toBeGreaterThan(1000);
    expect(kept).toBeLessThan(n);
    for (let i = 0; i < n; i++) {
      const got = cache.get(i);
      if (i < kept) expect(got && sameEvents(got, samples[i]), `sample ${i}`).toBe(true);
      else expect(got, `sample ${i}, past the budget`).toBeNull();
    }
  });

  it("gives a sample larger than a chunk a chunk of its own", () => {
    const events = 2_500_000;
    const times = new Int32Array(events);
    const units = new Int32Array(events);
    for (let k = 0; k < events; k++) {
      times[k] = Math.floor((k * 300) / events);
      units[k] = k % 60_000;
    }
    const big: SpikeSample = { times, units, label: 2 };
    const small = randomSample(new Rng(1), 60_000, 300, 50, 1);
    const cache = new SampleCache(2, 60_000, 300, 64 * MiB);
    cache.put(0, small);
    cache.put(1, big);
    expect(cache.heldBytes).toBe(4 * MiB + 2 * (events + 300));
    expect(sameEvents(cache.get(1)!, big)).toBe(true);
    expect(sameEvents(cache.get(0)!, small)).toBe(true);
  });

  it("does not keep a sample that would not come back as it went in", () => {
    const cache = new SampleCache(4, 1000, 10, 64 * MiB);
    const unsorted: SpikeSample = { times: Int32Array.from([0, 3, 2]), units: Int32Array.from([1, 2, 3]), label: 0 };
    const late: SpikeSample = { times: Int32Array.from([0, 10]), units: Int32Array.from([1, 2]), label: 0 };
    const crowded: SpikeSample = { times: new Int32Array(70_000).fill(4), units: new Int32Array(70_000), label: 0 };
    const fine = randomSample(new Rng(8), 1000, 10, 30, 3);
    cache.put(0, unsorted);
    cache.put(1, late);
    cache.put(2, crowded);
    cache.put(3, fine);
    expect([0, 1, 2].map((i) => cache.get(i))).toEqual([null, null, null]);
    expect(sameEvents(cache.get(3)!, fine)).toBe(true); // the refused ones left no counts behind
  });

  it("keeps nothing when units would not fit 16 bits, or with no budget", () => {
    const s = randomSample(new Rng(2), 70_000, 10, 20, 0);
    const wide = new SampleCache(1, 70_000, 10, 64 * MiB);
    wide.put(0, s);
    expect(wide.get(0)).toBeNull();
    const none = new SampleCache(1, 70_000, 10, 0);
    none.put(0, randomSample(new Rng(2), 1000, 10, 20, 0));
    expect(none.get(0)).toBeNull();
    expect(none.heldBytes).toBe(0);
  });
});

describe("defaultCacheBytes", () => {
  it("counts a container's memory limit where it is below the machine's memory", () => {
    expect(usableMemory(2 ** 31, 2 ** 36)).toBe(2 ** 31);
    expect(usableMemory(0, 2 ** 36)).toBe(2 ** 36); // no limit known
    expect(usableMemory(2 ** 64, 2 ** 36)).toBe(2 ** 36); // cgroup's "max"
    expect(defaultCacheBytes({}, usableMemory(2 ** 31, 2 ** 36))).toBe(2 ** 28);
  });

  it("is SNNC_DATA_CACHE_MB when set, else the lesser of 1 GiB and an eighth of the memory", () => {
    expect(defaultCacheBytes({}, 64 * 2 ** 30)).toBe(2 ** 30);
    expect(defaultCacheBytes({}, 4 * 2 ** 30)).toBe(2 ** 29);
    expect(defaultCacheBytes({ SNNC_DATA_CACHE_MB: "0" }, 64 * 2 ** 30)).toBe(0);
    expect(defaultCacheBytes({ SNNC_DATA_CACHE_MB: "2048" }, 4 * 2 ** 30)).toBe(2 ** 31);
    expect(defaultCacheBytes({ SNNC_DATA_CACHE_MB: " " }, 8 * 2 ** 30)).toBe(2 ** 30);
    for (const bad of ["lots", "-1", "Infinity"]) {
      const e = (() => {
        try {
          defaultCacheBytes({ SNNC_DATA_CACHE_MB: bad }, 8 * 2 ** 30);
        } catch (e) {
          return e;
        }
      })();
      expect(e).toBeInstanceOf(DataError);
      expect((e as Error).message).toBe(`SNNC_DATA_CACHE_MB: must be a number of MiB ≥ 0 (0 keeps nothing), got "${bad}"`);
    }
  });
});

describe("N-MNIST training split", () => {
  const tmp = mkdtempSync(join(tmpdir(), "snnc-nmnist-cache-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** Train/<d>/00001.bin and Test/<d>/00001.bin for digits 0–2, each with its own events. */
  function tree(): string {
    const dir = mkdtempSync(join(tmp, "tree-"));
    const rng = new Rng(11);
    for (const split of ["Train", "Test"])
      for (let d = 0; d < 3; d++) {
        mkdirSync(join(dir, split, String(d)), { recursive: true });
        const bytes: number[] = [];
        for (let k = 0, t = 0; k < 500; k++, t += rng.int(0, 900)) bytes.push(rng.int(0, 33), rng.int(0, 33), ((t >> 16) & 0x7f) | (rng.int(0, 1) << 7), (t >> 8) & 0xff, t & 0xff);
        writeFileSync(join(dir, split, String(d), "00001.bin"), Uint8Array.from(bytes));
      }
    return dir;
  }

  it("keeps what it decoded (a file removed afterwards is not read again), both splits within one budget", () => {
    const dir = tree();
    const cached = loadNmnist({ dir, binMs: 1, steps: 300, cacheBytes: 64 * MiB });
    const plain = loadNmnist({ dir, binMs: 1, steps: 300, cacheBytes: 0 });
    expect(cached.source).toBe(`N-MNIST .bin files in ${dir} (3 train / 3 test; decoded samples kept in memory, up to 64 MiB (SNNC_DATA_CACHE_MB))`);
    expect(plain.source).toBe(`N-MNIST .bin files in ${dir} (3 train / 3 test)`);
    const first = [0, 1, 2].map((i) => cached.train.get(i));
    for (let i = 0; i < 3; i++) expect(sameEvents(first[i], plain.train.get(i))).toBe(true);
    expect(first[0].times.length).toBeGreaterThan(100);
    expect(cached.train.cachedBytes).toBe(4 * MiB);
    for (let i = 0; i < 3; i++) cached.test.get(i);
    expect(cached.test.cachedBytes).toBe(4 * MiB);
    // Under 10 MiB each split gets its 4 MiB chunk; under 6 MiB the training split's, read first,
    // leaves the test split none.
    const tight = loadNmnist({ dir, binMs: 1, steps: 300, cacheBytes: 10 * MiB });
    tight.train.get(0);
    tight.test.get(0);
    tight.test.get(1);
    expect([tight.train.cachedBytes, tight.test.cachedBytes]).toEqual([4 * MiB, 4 * MiB]);
    const tighter = loadNmnist({ dir, binMs: 1, steps: 300, cacheBytes: 6 * MiB });
    tighter.train.get(0);
    tighter.test.get(0);
    expect([tighter.train.cachedBytes, tighter.test.cachedBytes]).toEqual([4 * MiB, 0]);

    rmSync(join(dir, "Train", "1", "00001.bin"));
    expect(sameEvents(cached.train.get(1), first[1])).toBe(true);
    expect(() => plain.train.get(1)).toThrow(/cannot read file \(ENOENT\)/);
  });
});
