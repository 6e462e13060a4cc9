// Event-data augmentation: N-MNIST jitter moves a whole sample by one (dx, dy) on the 34×34 sensor,
// keeping each event's polarity channel and dropping what leaves the sensor (nothing wraps to the
// next row or into the other channel); SHD channel shift moves a whole sample by one s; drop thins
// events independently at about the asked rate. On hand-made N-MNIST events and the SHD fixture.

import { describe, expect, it } from "vitest";
import { augmentDataset } from "../../runtime/data/augment.ts";
import { remapEvents } from "../../runtime/data/augment/remap-events.ts";
import { channelShift, sensorShift } from "../../runtime/data/augment/unit-shift.ts";
import { decodeNmnist, NMNIST_CHANNEL_INPUTS, NMNIST_INPUTS } from "../../runtime/data/nmnist.ts";
import { PackedBuilder } from "../../runtime/data/packed-dataset.ts";
import { loadShd } from "../../runtime/data/shd.ts";
import { Rng } from "../../runtime/util/rng.ts";
import type { SpikeDataset, SpikeSample } from "../../runtime/data/spike-batch.ts";
import { eventSet, expectWellFormed, randomEvents } from "./augment-support.ts";

/** One 5-byte N-MNIST event: x, y, polarity (bit 7) | t[22:16], t[15:8], t[7:0]. */
function ev(x: number, y: number, pol: 0 | 1, tUs: number): number[] {
  return [x, y, (pol << 7) | ((tUs >> 16) & 0x7f), (tUs >> 8) & 0xff, tUs & 0xff];
}

const EVENTS = [
  ev(0, 0, 1, 0), // top-left corner, ON
  ev(33, 33, 0, 500), // bottom-right corner, OFF
  ev(33, 5, 1, 1000), // right edge, ON
  ev(5, 2, 0, 1000), // inside, OFF
  ev(5, 2, 1, 1000), // inside, ON: the same pixel and bin, other polarity
  ev(17, 33, 1, 2000), // bottom edge, ON
];

/** The oracle: the events of `s` moved by `map` (an event mapped to −1 is gone), as "t:u" strings. */
function moved(s: SpikeSample, map: (u: number) => number): Set<string> {
  const set = new Set<string>();
  for (let k = 0; k < s.units.length; k++) if (map(s.units[k]) >= 0) set.add(`${s.times[k]}:${map(s.units[k])}`);
  return set;
}

/** Whether moving the events of `s` by `map` gives exactly the events `got` (stops at the first miss). */
function movesTo(s: SpikeSample, map: (u: number) => number, got: Set<string>): boolean {
  let kept = 0;
  for (let k = 0; k < s.units.length; k++) {
    const u = map(s.units[k]);
    if (u < 0) continue;
    if (!got.has(`${s.times[k]}:${u}`)) return false;
    kept++;
  }
  return kept === got.size;
}

function isSubset(a: Set<string>, b: Set<string>): boolean {
  return [...a].every((e) => b.has(e));
}

/** (x, y, channel) of an N-MNIST unit in the channel layout. */
const unit = (x: number, y: number, c: 0 | 1) => c * NMNIST_INPUTS + y * 34 + x;

function datasetOf(name: string, inputs: number, steps: number, samples: SpikeSample[]): SpikeDataset {
  const b = new PackedBuilder(name, inputs, steps, 10);
  for (const s of samples) b.push(s);
  return b.build();
}

describe("N-MNIST jitter", () => {
  const channels = decodeNmnist("x.bin", Uint8Array.from(EVENTS.flat()), 3, { binMs: 1, steps: 10, polarityChannels: true });
  const merged = decodeNmnist("x.bin", Uint8Array.from(EVENTS.flat()), 3, { binMs: 1, steps: 10 });

  it("moves each event by (dx, dy) in its own channel and drops those moved off the sensor", () => {
    const right = sensorShift(1, 0);
    expect(right(unit(5, 2, 0))).toBe(unit(6, 2, 0));
    expect(right(unit(5, 2, 1))).toBe(unit(6, 2, 1));
    expect(right(unit(33, 5, 1))).toBe(-1); // not (0, 6)
    expect(right(unit(33, 33, 0))).toBe(-1); // not channel 1's (0, 0)
    const down = sensorShift(0, 1);
    expect(down(unit(33, 33, 0))).toBe(-1); // not into channel 1
    expect(down(unit(17, 33, 1))).toBe(-1); // not past the last unit
    expect(sensorShift(-1, -1)(unit(0, 0, 1))).toBe(-1); // not into channel 0
    expect(sensorShift(-3, 4)(unit(5, 2, 1))).toBe(unit(2, 6, 1));
    // Merged polarities: units are y·34 + x in one channel.
    expect(sensorShift(2, 3)(2 * 34 + 5)).toBe(5 * 34 + 7);
    expect(sensorShift(1, 0)(5 * 34 + 33)).toBe(-1);
  });

  it("shifts a whole sample by one (dx, dy) per draw, every one in [−k, k]² over many draws, in both layouts", () => {
    for (const [s, inputs] of [[channels, NMNIST_CHANNEL_INPUTS], [merged, NMNIST_INPUTS]] as const) {
      const ds = datasetOf("nmnist", inputs, 10, [s]);
      const aug = augmentDataset(ds, { jitter: 2 }, 99)!;
      const seen = new Set<string>();
      for (let epoch = 0; epoch < 300; epoch++) {
        const out = aug.sample(0, epoch);
        expectWellFormed(out, 10, inputs);
        expect(out.label).toBe(3);
        const got = eventSet(out);
        const fits: string[] = [];
        for (let dx = -2; dx <= 2; dx++)
          for (let dy = -2; dy <= 2; dy++) if (movesTo(s, sensorShift(dx, dy), got)) fits.push(`${dx},${dy}`);
        expect(fits.length).toBe(1);
        seen.add(fits[0]);
      }
      expect(seen.size).toBe(25);
    }
  });

  it("keeps dense random samples well formed with jitter and drop together", () => {
    const ds = randomEvents("nmnist-random", NMNIST_CHANNEL_INPUTS, 30, 10, 2000, 4);
    const aug = augmentDataset(ds, { jitter: 8, drop: 0.25 }, 1)!;
    for (let i = 0; i < ds.length; i++) {
      const base = ds.get(i);
      const out = aug.sample(i, 2);
      expectWellFormed(out, 30, NMNIST_CHANNEL_INPUTS);
      // Some (dx, dy) takes every output event back onto an input event: drop only removes.
      const had = eventSet(base);
      const cameFrom = (dx: number, dy: number) => {
        const back = sensorShift(-dx, -dy);
        return out.units.every((u, k) => back(u) >= 0 && had.has(`${out.times[k]}:${back(u)}`));
      };
      let fits = 0;
      for (let dx = -8; dx <= 8; dx++) for (let dy = -8; dy <= 8; dy++) if (cameFrom(dx, dy)) fits++;
      expect(fits).toBeGreaterThan(0);
    }
  });
});

describe("SHD channel shift and drop on the fixture", async () => {
  const { train } = await loadShd({ dir: "test/fixtures/shd", binMs: 2, steps: 500 });

  it("moves a whole sample by one s in [−k, k] and drops channels moved out of [0, 700)", () => {
    expect(channelShift(5, 700)(694)).toBe(699);
    expect(channelShift(5, 700)(695)).toBe(-1);
    expect(channelShift(-5, 700)(4)).toBe(-1);
    expect(channelShift(-5, 700)(5)).toBe(0);
    const aug = augmentDataset(train, { channel_shift: 40 }, 3)!;
    const shifts = new Set<number>();
    for (let i = 0; i < train.length; i++)
      for (const epoch of [0, 1, 2]) {
        const base = train.get(i);
        const out = aug.sample(i, epoch);
        expectWellFormed(out, 500, 700);
        expect(out.label).toBe(base.label);
        const got = eventSet(out);
        const fits: number[] = [];
        for (let s = -40; s <= 40; s++) if (movesTo(base, channelShift(s, 700), got)) fits.push(s);
        expect(fits.length).toBe(1);
        shifts.add(fits[0]);
        // Events shifted past either end are gone, not clamped onto channel 0 or 699.
        const lost = base.units.filter((u) => u + fits[0] < 0 || u + fits[0] >= 700).length;
        expect(out.units.length).toBe(base.units.length - lost);
      }
    expect(shifts.size).toBeGreaterThan(20); // 36 draws from 81 shifts
  });

  it("drops about p of the events, only ever removing, never moving one", () => {
    for (const p of [0.1, 0.5]) {
      const aug = augmentDataset(train, { drop: p }, 17)!;
      let before = 0;
      let after = 0;
      for (let i = 0; i < train.length; i++)
        for (const epoch of [0, 1, 2, 3]) {
          const base = train.get(i);
          const out = aug.sample(i, epoch);
          expectWellFormed(out, 500, 700);
          expect(isSubset(eventSet(out), eventSet(base))).toBe(true);
          before += base.units.length;
          after += out.units.length;
        }
      // ~290k events: the kept fraction's standard deviation is under 0.001.
      expect(Math.abs(1 - after / before - p)).toBeLessThan(0.01);
    }
  });
});

describe("remapEvents", () => {
  it("re-sorts and de-duplicates when a map reorders or merges units within a step, and drops units out of range", () => {
    const s: SpikeSample = { times: Int32Array.from([0, 0, 0, 2, 2]), units: Int32Array.from([1, 2, 3, 0, 4]), label: 1 };
    // Step 0: 1, 2, 3 → 3, 2, 3 (reordered, and two merge); step 2: 0 → 4, and 4 → 9 is past the end.
    const table = [4, 3, 2, 3, 9];
    const out = remapEvents(s, (u) => table[u], 0, new Rng(1), 5);
    expect(out).toEqual({ times: Int32Array.from([0, 0, 2]), units: Int32Array.from([2, 3, 4]), label: 1 });
  });
});
