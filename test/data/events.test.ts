// EventCollector.toSample sorts a sample's events by (step, unit) and drops repeats. The sort is a
// radix sort from 128 events up and the built-in sort below (runtime/data/radix-sort.ts); both must
// give exactly what sorting the distinct (step, unit) pairs gives, whatever the order the events
// came in, for key ranges of one, two and three radix passes.
import { describe, expect, it } from "vitest";
import { EventCollector } from "../../runtime/data/events.ts";
import { sortKeys } from "../../runtime/data/radix-sort.ts";
import { Rng } from "../../runtime/util/rng.ts";

type Event = [step: number, unit: number];

/** The sample toSample must return: distinct events, by step then unit. */
function expected(events: Event[]): { times: number[]; units: number[] } {
  const distinct = [...new Map(events.map(([t, u]) => [`${t},${u}`, [t, u] as Event])).values()];
  distinct.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { times: distinct.map((e) => e[0]), units: distinct.map((e) => e[1]) };
}

function randomEvents(rng: Rng, n: number, steps: number, inputs: number, order: "random" | "by step" | "few cells"): Event[] {
  const cells = order === "few cells" ? 5 : Infinity;
  const events: Event[] = [];
  for (let k = 0; k < n; k++) {
    const c = Math.min(k, cells);
    events.push(cells === Infinity ? [rng.int(0, steps - 1), rng.int(0, inputs - 1)] : [c % steps, (c * 7) % inputs]);
  }
  if (order === "by step") events.sort((a, b) => a[0] - b[0]); // units stay in random order within a step
  return events;
}

describe("EventCollector.toSample", () => {
  // steps·inputs of 2^10 (one pass), 346 800 = N-MNIST (two passes), 2^30 (three passes).
  const shapes: [steps: number, inputs: number][] = [[8, 128], [300, 1156], [1 << 15, 1 << 15]];
  for (const [steps, inputs] of shapes)
    for (const n of [0, 1, 127, 128, 129, 1000, 5000])
      for (const order of ["random", "by step", "few cells"] as const)
        it(`${steps}×${inputs}, ${n} events, ${order}`, () => {
          const rng = new Rng(steps + n * 31 + order.length);
          const events = randomEvents(rng, n, steps, inputs, order);
          const collector = new EventCollector(inputs, steps, 16); // grows past its capacity
          collector.reset();
          for (const [t, u] of events) collector.add(t, u);
          const s = collector.toSample(4);
          const want = expected(events);
          expect(Array.from(s.times)).toEqual(want.times);
          expect(Array.from(s.units)).toEqual(want.units);
          expect(s.label).toBe(4);
        });

  it("a reused collector gives each sample only its own events", () => {
    const rng = new Rng(9);
    const collector = new EventCollector(1156, 300);
    for (const n of [3000, 200, 50, 4000]) {
      const events = randomEvents(rng, n, 300, 1156, "by step");
      collector.reset();
      for (const [t, u] of events) collector.add(t, u);
      const s = collector.toSample(0);
      expect({ times: Array.from(s.times), units: Array.from(s.units) }).toEqual(expected(events));
    }
  });
});

describe("sortKeys", () => {
  it("sorts the largest keys an int32 holds", () => {
    const keys = Int32Array.from([0x7fffffff, 0, 0x40000000, 0x7ffffffe, 1, ...Array.from({ length: 300 }, (_, i) => (i * 7919 * 7919) & 0x7fffffff)]);
    const want = Array.from(keys).sort((a, b) => a - b);
    const sorted = sortKeys(keys, keys.length, 0x7fffffff, new Int32Array(keys.length));
    expect(Array.from(sorted.subarray(0, keys.length))).toEqual(want);
  });
});
