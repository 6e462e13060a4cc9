// Applying a unit move and random event drop to one sample in one pass. The batch format wants
// events sorted by time then unit and each (time, unit) once; shifts by a constant keep that, but
// a map that reorders or merges units would not, so the output is checked and re-sorted then.

import type { Rng } from "../../util/rng.ts";
import { eventArrays } from "../event-arrays.ts";
import { EventCollector } from "../events.ts";
import type { SpikeSample } from "../spike-batch.ts";
import type { UnitMap } from "./unit-shift.ts";

/**
 * The events of `s` with each unit replaced by map(unit) (dropped where that is −1 or outside
 * [0, inputs)), and each event then dropped with probability `drop`. When drop > 0 every input
 * event takes one draw from `rng`, kept or not, so the draws do not depend on the shift.
 */
export function remapEvents(s: SpikeSample, map: UnitMap | null, drop: number, rng: Rng, inputs: number): SpikeSample {
  const n = s.times.length;
  const { times, units } = eventArrays(n);
  let m = 0;
  let ordered = true;
  for (let k = 0; k < n; k++) {
    const dropped = drop > 0 && rng.next() < drop;
    const u = map ? map(s.units[k]) : s.units[k];
    if (dropped || u < 0 || u >= inputs) continue;
    const t = s.times[k];
    if (m > 0 && times[m - 1] === t && units[m - 1] >= u) ordered = false;
    times[m] = t;
    units[m] = u;
    m++;
  }
  const out = { times: times.subarray(0, m), units: units.subarray(0, m), label: s.label };
  return ordered ? out : sortUnique(out, inputs);
}

/** Sort by (time, unit) and keep each pair once (EventCollector, as the event readers do). */
function sortUnique(s: SpikeSample, inputs: number): SpikeSample {
  let steps = 1;
  for (let k = 0; k < s.times.length; k++) steps = Math.max(steps, s.times[k] + 1);
  const events = new EventCollector(inputs, steps, s.times.length);
  for (let k = 0; k < s.times.length; k++) events.add(s.times[k], s.units[k]);
  return events.toSample(s.label);
}
