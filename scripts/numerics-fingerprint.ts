// Bit-exact fingerprint of what the CPU backend computes, for refactors that must not change the
// numerics: on every shipped model and the random specs of the numerics tests, one forward, one
// backward (sparse and dense) and one training step from fixed weights and inputs, hashed
// (sha256 of the raw float32/uint8 bytes) per tensor.
//
//   npx tsx scripts/numerics-fingerprint.ts > before.json     # on the old code
//   npx tsx scripts/numerics-fingerprint.ts --compare before.json   # on the new code: exit 1 on any change
//   npx tsx scripts/numerics-fingerprint.ts --only 'conv|pool' > before.json   # only the cases whose name matches

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Network } from "../compiler/ir/types.ts";
import { spikingLayers } from "../compiler/ir/layers.ts";
import { SnnModel } from "../runtime/model/snn-model.ts";
import { buildModel } from "../test/support/build-model.ts";
import { randomBatch } from "../test/support/random-data.ts";
import { randomConvSpec, randomSpec } from "../test/support/random-spec.ts";
import { SUMPOOL_SPECS } from "../test/support/sumpool-cases.ts";

type Fingerprint = Record<string, Record<string, string>>;

const CASES: [string, () => Parameters<typeof buildModel>[0]][] = [
  ["tiny", () => "models/tiny.json"],
  ["fmnist", () => "models/fmnist.json"],
  ["fmnist-deep", () => "models/fmnist-deep.json"],
  ["nmnist", () => "models/nmnist.json"],
  ["shd", () => "models/shd.json"],
  ["fmnist-conv", () => "models/fmnist-conv.json"],
  ...Array.from({ length: 20 }, (_, k) => [`random-${k + 1}`, () => randomSpec(k + 1)] as [string, () => ReturnType<typeof randomSpec>]),
  ...Array.from({ length: 8 }, (_, k) => [`random-conv-${k + 1}`, () => randomConvSpec(k + 1, { pool: k % 2 === 0 })] as [string, () => ReturnType<typeof randomConvSpec>]),
  ["random-conv-9-dense", () => randomConvSpec(9, { pool: true, dense: true })],
  ["random-conv-10-conv2", () => randomConvSpec(10, { pool: true, secondConv: true })],
  ["random-conv-11-conv2", () => randomConvSpec(11, { pool: false, secondConv: true })],
  ["nmnist-conv", () => "models/nmnist-conv.json"],
  // Dense layers on sum-pooled input: a window's row repeats once per spike in it.
  ...SUMPOOL_SPECS.filter(([, , o]) => o.dense).map(([, seed, o]) => [`random-sumpool-${seed}-dense`, () => randomConvSpec(seed, o)] as [string, () => ReturnType<typeof randomConvSpec>]),
  ["shd-recurrent", () => "models/shd-recurrent.json"],
  ["shd-alif", () => "models/shd-alif.json"],
  ...(["all", "some", "first", "last"] as const).map(
    (recurrent, k) => [`random-recurrent-${k + 1}-${recurrent}`, () => randomSpec(k + 1, { recurrent, spikingReadout: k % 2 === 0 ? "recurrent" : undefined })] as [string, () => ReturnType<typeof randomSpec>],
  ),
];

function hash(x: ArrayBufferView): string {
  return createHash("sha256").update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)).digest("hex").slice(0, 16);
}

function spikingIds(net: Network): string[] {
  return spikingLayers(net).map((l) => l.id);
}

async function fingerprint(name: string, spec: Parameters<typeof buildModel>[0]): Promise<Record<string, string>> {
  const { net, addon } = await buildModel(spec);
  const batchSize = Math.min(4, net.training.batch);
  const density = net.input.size > 1000 ? 0.02 : 0.2;
  const batch = randomBatch(net.steps, net.input.size, batchSize, net.classes, density, 7);
  const out: Record<string, string> = {};
  for (const mode of ["sparse", "dense"] as const) {
    const model = new SnnModel(net, addon, { batch: batchSize, backward: mode, recordV: true, activeCapacity: 0.01, seed: 3 });
    try {
      const stats = model.forward(batch);
      model.backwardPass();
      out[`${mode}.logits`] = hash(model.logits());
      out[`${mode}.loss`] = String(stats.loss);
      for (const id of spikingIds(net)) {
        out[`${mode}.spikes.${id}`] = hash(model.spikes(id));
        out[`${mode}.v.${id}`] = hash(model.membranes(id));
      }
      for (const w of model.weightNames) out[`${mode}.grad.${w}`] = hash(model.getGradients(w));
      const step = model.trainStep(batch, 1e-3);
      out[`${mode}.step.loss`] = String(step.loss);
      for (const w of model.weightNames) out[`${mode}.step.${w}`] = hash(model.getWeights(w));
    } finally {
      model.dispose();
    }
  }
  process.stderr.write(`${name}: ${Object.keys(out).length} tensors\n`);
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const comparePath = flag("--compare");
  const compareWith = comparePath ? (JSON.parse(readFileSync(comparePath, "utf8")) as Fingerprint) : null;
  const only = new RegExp(flag("--only") ?? "");
  const result: Fingerprint = {};
  for (const [name, spec] of CASES) if (only.test(name)) result[name] = await fingerprint(name, spec());
  if (!compareWith) {
    process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
    return;
  }
  let differences = 0;
  for (const [name, tensors] of Object.entries(compareWith)) {
    if (!only.test(name)) continue;
    for (const [key, value] of Object.entries(tensors)) {
      const now = result[name]?.[key];
      if (now !== value) {
        differences++;
        console.log(`${name} ${key}: ${value} → ${now ?? "missing"}`);
      }
    }
  }
  console.log(differences === 0 ? "identical: every tensor of every case" : `${differences} tensors differ`);
  process.exit(differences === 0 ? 0 : 1);
}

await main();
