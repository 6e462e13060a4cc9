// Shared by the augmentation tests: the invariants every augmented sample must keep (the batch
// format's sorted, duplicate-free, in-range events), and small in-memory datasets to augment.

import { expect } from "vitest";
import { EventCollector } from "../../runtime/data/events.ts";
import { PackedBuilder, type PackedDataset } from "../../runtime/data/packed-dataset.ts";
import type { SpikeSample } from "../../runtime/data/spike-batch.ts";
import { Rng } from "../../runtime/util/rng.ts";

/** Sorted by time then unit, each (time, unit) once, times in [0, steps), units in [0, inputs). */
export function expectWellFormed(s: SpikeSample, steps: number, inputs: number): void {
  expect(s.units.length).toBe(s.times.length);
  for (let k = 0; k < s.times.length; k++) {
    const t = s.times[k];
    const u = s.units[k];
    if (!(t >= 0 && t < steps && u >= 0 && u < inputs)) throw new Error(`event ${k}: (t, u) = (${t}, ${u}) out of range`);
    if (k > 0) {
      const tp = s.times[k - 1];
      const up = s.units[k - 1];
      if (t < tp || (t === tp && u <= up)) throw new Error(`event ${k}: (${t}, ${u}) after (${tp}, ${up}): not sorted or repeated`);
    }
  }
}

/** The (time, unit) pairs of a sample as "t:u" strings, for set comparisons. */
export function eventSet(s: SpikeSample): Set<string> {
  const set = new Set<string>();
  for (let k = 0; k < s.times.length; k++) set.add(`${s.times[k]}:${s.units[k]}`);
  return set;
}

export function sameEvents(a: SpikeSample, b: SpikeSample): boolean {
  if (a.times.length !== b.times.length || a.label !== b.label) return false;
  for (let k = 0; k < a.times.length; k++) if (a.times[k] !== b.times[k] || a.units[k] !== b.units[k]) return false;
  return true;
}

/** `samples` random samples of about `events` events each, uniform over steps × inputs. */
export function randomEvents(name: string, inputs: number, steps: number, samples: number, events: number, seed: number): PackedDataset {
  const rng = new Rng(seed);
  const builder = new PackedBuilder(name, inputs, steps, 10);
  const collector = new EventCollector(inputs, steps);
  for (let i = 0; i < samples; i++) {
    collector.reset();
    for (let k = 0; k < events; k++) collector.add(rng.int(0, steps - 1), rng.int(0, inputs - 1));
    builder.push(collector.toSample(i % 10));
  }
  return builder.build();
}
