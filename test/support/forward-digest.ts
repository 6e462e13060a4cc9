// Child process of test/backends/cpu-forward-any-threads.test.ts: loads a built CPU addon, runs the
// forward on a few random batches and prints one line of JSON: a sha256 of every layer's spikes and
// membranes, the logits and the raw stats of each batch. The parent runs it under several
// OMP_NUM_THREADS (OpenMP reads it once per process, hence a process per thread count).
//   node --import tsx test/support/forward-digest.ts <spec.json> <addon.node> <batch> <batches>

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isSpiking } from "../../compiler/ir/layers.ts";
import { randomSpikeBatch } from "../../runtime/bench/synthetic-batch.ts";
import { loadAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { networkOf } from "./build-model.ts";

const [specFile, addonPath, batchArg, batchesArg] = process.argv.slice(2);
const net = networkOf(JSON.parse(readFileSync(specFile, "utf8")));
const B = Number(batchArg);
const model = new SnnModel(net, loadAddon(addonPath), { batch: B, backward: "sparse", recordV: true, seed: 3 });
const hash = createHash("sha256");
const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
let spikes = 0;
for (let k = 0; k < Number(batchesArg); k++) {
  model.forward(randomSpikeBatch(B, net.steps, net.input.size, net.classes, 0.5, 100 + k));
  for (const l of net.layers.filter(isSpiking)) {
    const s = model.spikes(l.id);
    for (const x of s) spikes += x;
    hash.update(bytes(s)).update(bytes(model.membranes(l.id)));
  }
  hash.update(bytes(model.logits())).update(bytes(model.rawStats()));
}
model.dispose();
console.log(JSON.stringify({ digest: hash.digest("hex"), spikes }));
