// What the NIR round-trip tests share: export to a real file and import it back, bit-for-bit weight
// comparison, spec resolution, one reset for a whole network, and biases drawn away from zero.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { weightedLayers } from "../../compiler/ir/layers.ts";
import { exportNir } from "../../compiler/nir/export-graph.ts";
import { importNir } from "../../compiler/nir/import-graph.ts";
import type { Conventions } from "../../compiler/nir/conventions.ts";
import { checkSpecText, type NetworkSpec, type ResolvedSpec } from "../../compiler/spec/index.ts";
import type { ResetMode } from "../../compiler/spec/types.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { readNirFile, writeNirFile } from "../../runtime/nir/nir-file.ts";
import { Rng } from "../../runtime/util/rng.ts";

/** A round trip through files in a temp folder of the calling test file (removed after it). */
export function fileRoundTrip(prefix: string) {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  let fileNo = 0;
  return async (spec: ResolvedSpec, weights: Map<string, Float32Array>, c: Conventions) => {
    const path = join(tmp, `rt-${fileNo++}.nir`);
    const graph = exportNir(spec, weights, c);
    await writeNirFile(path, graph);
    return { graph, back: importNir(await readNirFile(path), { ...c, fallbackName: "unused", source: "rt.nir" }) };
  };
}

export function expectSameWeights(got: Map<string, Float32Array>, want: Map<string, Float32Array>): void {
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [name, w] of want) expect(Buffer.from(got.get(name)!.buffer).equals(Buffer.from(w.buffer)), `${name} bit-identical`).toBe(true);
}

export function resolved(raw: object): ResolvedSpec {
  const r = checkSpecText(JSON.stringify(raw), "random");
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.spec;
}

/** Every spiking layer, the spiking readout too, to one reset (NIR has one per file). */
export function withReset(spec: NetworkSpec, reset: ResetMode): NetworkSpec {
  const layers = spec.layers.map((l) => {
    if (l.kind !== "dense" && l.kind !== "conv" && !(l.kind === "readout" && l.spiking)) return l;
    const neuron = { ...l.neuron };
    if (reset !== "subtract") neuron.reset = reset;
    else delete neuron.reset;
    return { ...l, neuron };
  });
  return { ...spec, layers };
}

/** Initial weights with the biases drawn (they start at zero), so a bias is more than zeros. */
export function drawnBiases(spec: ResolvedSpec, seed: number): Map<string, Float32Array> {
  const net = lowerSpec(spec);
  const w = initialWeights(net, seed);
  const rng = new Rng(seed);
  for (const layer of weightedLayers(net))
    for (const t of layer.weights) if (t.role === "bias") w.set(t.name, Float32Array.from({ length: t.size }, () => rng.uniform(-0.5, 0.5)));
  return w;
}
