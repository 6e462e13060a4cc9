// Re-importing a file snnc exported restores its training side from the exporter's resolved spec,
// which holds every default. This takes out again each field the exporter's spec file did not
// write at that place, where leaving it out resolves to the same spec: so import → export →
// import gives back the text the first import wrote (no defaults made explicit), and a field a
// default would not give back (a value inherited from a top-level `neuron`, say) stays.

import { checkSpecText, resolveSpec } from "../../spec/index.ts";
import type { NetworkSpec } from "../../spec/types.ts";

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);

/** `spec` without the fields `written` lacks that change nothing; `spec` itself if the result
 *  would not validate. */
export function omitUnwritten(spec: NetworkSpec, written: NetworkSpec): NetworkSpec {
  const out = structuredClone(spec) as unknown as Json;
  const target = resolvedText(out);
  if (target === null) return spec;
  const unchanged = () => resolvedText(out) === target;

  const prune = (obj: Json, was: unknown) => {
    const entries = Object.entries(obj);
    const dropped = new Set<string>();
    for (const [key, value] of entries) {
      const had = isObject(was) ? was[key] : undefined;
      if (had === undefined) {
        delete obj[key];
        if (unchanged()) dropped.add(key);
        else obj[key] = value;
      } else if (isObject(value)) prune(value, had);
      else if (Array.isArray(value) && Array.isArray(had) && value.length === had.length)
        value.forEach((item, k) => {
          if (isObject(item)) prune(item, had[k]);
        });
    }
    // The kept fields in their first order (a field put back went to the end).
    for (const [key] of entries) delete obj[key];
    for (const [key, value] of entries) if (!dropped.has(key)) obj[key] = value;
  };
  prune(out, written);
  const result = out as unknown as NetworkSpec;
  return checkSpecText(JSON.stringify(result), "re-imported spec").ok ? result : spec;
}

function resolvedText(spec: Json): string | null {
  try {
    return JSON.stringify(resolveSpec(spec as unknown as NetworkSpec));
  } catch {
    return null;
  }
}
