// randomSpec's options add recurrence and a spiking readout on top of the same draw: without
// options a spec is what it always was, and with them only the named fields (and the name) differ.

import { describe, expect, it } from "vitest";
import { checkSpecText } from "../../compiler/spec/index.ts";
import { randomSpec, type RandomSpecOptions } from "../support/random-spec.ts";

const strip = (s: ReturnType<typeof randomSpec>) => ({
  ...s,
  name: "",
  layers: s.layers.map((l) => {
    const { recurrent: _r, recurrent_init: _ri, ...rest } = l as typeof l & { recurrent?: boolean; recurrent_init?: object };
    if (rest.kind !== "readout") return rest;
    const { spiking: _s, neuron: _n, logits: _l, ...ro } = rest;
    return ro;
  }),
});

describe("randomSpec options", () => {
  const cases: RandomSpecOptions[] = [{ recurrent: "all" }, { recurrent: "some" }, { spikingReadout: "recurrent" }, { recurrent: "last", spikingReadout: true }];
  for (const opts of cases) {
    it(`${JSON.stringify(opts)} changes only what it names, and the spec is valid`, () => {
      for (let seed = 1; seed <= 12; seed++) {
        const s = randomSpec(seed, opts);
        expect(strip(s)).toEqual(strip(randomSpec(seed)));
        const r = checkSpecText(JSON.stringify(s), "r.json");
        expect(r.ok, JSON.stringify(r)).toBe(true);
        const dense = s.layers.filter((l) => l.kind === "dense");
        if (opts.recurrent === "all") expect(dense.every((l) => l.kind === "dense" && l.recurrent)).toBe(true);
        const ro = s.layers[s.layers.length - 1];
        expect(ro.kind === "readout" && ro.spiking === true).toBe(opts.spikingReadout !== undefined);
      }
    });
  }

  it("leaves randomSpec(seed) without options as it was (no new fields)", () => {
    for (let seed = 1; seed <= 20; seed++) expect(JSON.stringify(randomSpec(seed))).not.toMatch(/recurrent|spiking|spike_count/);
  });
});
