// The CPU backend's max-pool against the float64 reference on the geometries the shipped and random
// specs leave out (they pool 2×2 on rows of at most 28): windows of 1, 3, 4 and 9 (above 8 the
// forward pools spike by spike), rows wider than one 57-bit load (W_OUT above the 28 windows of a
// chunk), heights and widths the window does not divide, and a pool of a pool's conv. The forward
// reads each window row as a bit string and routes each active entry by its window's bits, so
// these are the cases where an off-by-one in those reads would show.

import { describe, expect, it } from "vitest";
import type { LayerSpec, NetworkSpec } from "../../compiler/spec/types.ts";
import { buildModel } from "../support/build-model.ts";
import { randomConvSpec } from "../support/random-spec.ts";
import { expectMatchesReference } from "./expect-numerics.ts";
import { checkNumerics } from "./numerics-check.ts";

/** randomConvSpec's neurons, loss and readout, with this input shape and these layers before the flatten. */
function poolSpec(seed: number, name: string, shape: number[], layers: LayerSpec[]): NetworkSpec {
  const s = randomConvSpec(seed, { pool: false });
  s.name = name;
  s.input.shape = shape;
  s.layers = [...layers, { kind: "flatten" }, s.layers[s.layers.length - 1]];
  // Few neuron-times: the more there are, the harder a random input keeps every membrane clear of
  // the threshold (a tie the float32 kernels and the float64 reference may break apart).
  s.time.steps = Math.min(s.time.steps, 20);
  s.training!.batch = 2;
  return s;
}

const conv = (filters: number, kernel = 3, padding = 1): LayerSpec => ({ kind: "conv", filters, kernel, stride: 1, padding, init: { distribution: "uniform", scale: 1 } });
const maxpool = (size: number): LayerSpec => ({ kind: "maxpool", size });

const CASES: [string, () => NetworkSpec][] = [
  // 5×62 → pool 2 → 2×31: two chunks a row (28 + 3 windows), each input row its own load, a row
  // left over; then conv → 3×32 → pool 3 → 1×10.
  ["wide rows, pool 2 then pool 3", () => poolSpec(301, "maxpool-wide", [1, 5, 62], [conv(1), maxpool(2), conv(1, 2, 1), maxpool(3)])],
  // 13×11 → pool 1 (a copy) → conv → pool 4 → 3×2: four input rows in one load, rows and columns left over.
  ["pool 1, then pool 4 on 13×11", () => poolSpec(302, "maxpool-1-4", [1, 13, 11], [conv(2), maxpool(1), conv(1), maxpool(4)])],
  // 20×20 → pool 9 → 2×2: windows above 8×8, pooled spike by spike.
  ["pool 9", () => poolSpec(303, "maxpool-9", [1, 20, 20], [conv(3), maxpool(9)])],
];

describe("CPU max-pool matches the float64 reference on window sizes 1–9 and wide rows", () => {
  for (const [name, make] of CASES)
    it(name, async () => {
      const { net, addon } = await buildModel(make());
      const pools = net.layers.filter((l) => l.kind === "maxpool");
      expect(pools.length).toBeGreaterThan(0);
      const r = checkNumerics(net, addon, 7);
      expectMatchesReference(r);
      // The conv layers under the pools spike and have active entries, so windows route.
      expect(Math.min(...r.activeFractions)).toBeGreaterThan(0);
    });
});
