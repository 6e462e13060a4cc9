// Recurrent tensors through the whole life of a model (CPU backend): the IR names them r<k> with
// shape [N, N]; the initial weights draw R from U(±scale/√N); Adam moves R; a checkpoint holds R
// and its Adam moments and restores them bit for bit.

import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCheckpoint, restoreCheckpoint, saveCheckpoint } from "../../runtime/checkpoint/checkpoint.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { buildModel } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";
import { randomSpec } from "../support/random-spec.ts";
import { RECURRENT_NEURON_SPECS } from "../support/recurrent-neuron-specs.ts";
import { tempDir } from "../train/support.ts";

const tmp = tempDir("recurrent-checkpoint");
afterAll(() => tmp.remove());

describe("recurrent tensors", () => {
  it("are initialised, trained, saved and restored like W", async () => {
    // Seed 10: every hidden layer recurrent, and a recurrent spiking readout with its own R init.
    const spec = randomSpec(10, { recurrent: "all", spikingReadout: "recurrent" });
    const ro = spec.layers[spec.layers.length - 1];
    if (ro.kind !== "readout") throw new Error("no readout");
    ro.recurrent_init = { distribution: "uniform", scale: 0.5 };
    const { net, addon } = await buildModel(spec);
    const names = net.layers.flatMap((l) => ("weights" in l ? l.weights.map((w) => [w.name, w.shape, w.role] as const) : []));
    const N1 = net.layers[0].nOut;
    const C = net.classes;
    // Every layer (each hidden one and the readout): W [nIn, nOut], then R [nOut, nOut].
    expect(names).toEqual(
      net.layers.flatMap((l, k) => [
        [`w${k + 1}`, [l.nIn, l.nOut], "feedforward"],
        [`r${k + 1}`, [l.nOut, l.nOut], "recurrent"],
      ]),
    );

    const init = initialWeights(net, 3);
    const r1 = init.get("r1")!;
    expect(r1.length).toBe(N1 * N1);
    expect(Math.max(...r1.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(N1));
    expect(Math.max(...r1.map(Math.abs))).toBeGreaterThan(0.5 / Math.sqrt(N1));
    const rC = init.get(`r${net.layers.length}`)!;
    expect(Math.max(...rC.map(Math.abs))).toBeLessThanOrEqual(0.5 / Math.sqrt(C));

    const model = new SnnModel(net, addon, { batch: net.training.batch, seed: 3 });
    const before = Float32Array.from(model.getWeights("r1"));
    for (let k = 0; k < 3; k++) model.trainStep(randomBatch(net.steps, net.input.size, net.training.batch, C, 0.3, 20 + k));
    expect(model.getWeights("r1")).not.toEqual(before);

    const path = join(tmp.path, "rec.safetensors");
    saveCheckpoint(path, model, { epoch: 1, samplesDone: 0, seed: 3, backend: "cpu", batch: net.training.batch, lr: 0.001, epochs: 1, limit: null, partial: null });
    const ckpt = loadCheckpoint(path);
    expect([...ckpt.tensors.keys()]).toContain("r1");
    expect([...ckpt.tensors.keys()]).toContain("adam_v_r1");
    expect(ckpt.tensors.get("r1")!.shape).toEqual([N1, N1]);
    const fresh = new SnnModel(net, addon, { batch: net.training.batch, seed: 99 });
    restoreCheckpoint(fresh, ckpt, "rec.json");
    for (const name of model.weightNames) {
      expect(fresh.getWeights(name)).toEqual(model.getWeights(name));
      expect(fresh.getAdamState(name)).toEqual(model.getAdamState(name));
    }
    model.dispose();
    fresh.dispose();
  });

  it("sit between W and the bias, and all three train, save and restore (recurrent CuBa layers, recurrent spiking readout)", async () => {
    const c = RECURRENT_NEURON_SPECS.find((x) => x.name.startsWith("everything: recurrent CuBa"))!;
    const { net, addon } = await buildModel(c.spec());
    // W, then R, then b (the IR's order, which the checkpoint keeps): l1 and the readout have all three.
    const roles = (l: (typeof net.layers)[number]) => ("weights" in l ? l.weights.map((w) => w.role) : []);
    expect(roles(net.layers[0])).toEqual(["feedforward", "recurrent", "bias"]);
    expect(roles(net.layers[net.layers.length - 1])).toEqual(["feedforward", "recurrent", "bias"]);
    const init = initialWeights(net, 5);
    const last = net.layers.length;
    expect(init.get(`b${last}`)!.every((x) => x === 0)).toBe(true);
    const model = new SnnModel(net, addon, { batch: net.training.batch, seed: 5 });
    // (the readout's R moves only once the readout spikes, which 3 steps from the init need not bring)
    const names = [`r1`, `b1`, `b${last}`];
    const before = names.map((n) => Float32Array.from(model.getWeights(n)));
    for (let k = 0; k < 3; k++) model.trainStep(randomBatch(net.steps, net.input.size, net.training.batch, net.classes, 0.3, 40 + k));
    names.forEach((n, k) => expect(model.getWeights(n), n).not.toEqual(before[k]));
    const path = join(tmp.path, "rec-bias.safetensors");
    saveCheckpoint(path, model, { epoch: 1, samplesDone: 0, seed: 5, backend: "cpu", batch: net.training.batch, lr: 0.001, epochs: 1, limit: null, partial: null });
    const ckpt = loadCheckpoint(path);
    const fresh = new SnnModel(net, addon, { batch: net.training.batch, seed: 77 });
    restoreCheckpoint(fresh, ckpt, "rec-bias.json");
    for (const name of model.weightNames) {
      expect(fresh.getWeights(name)).toEqual(model.getWeights(name));
      expect(fresh.getAdamState(name)).toEqual(model.getAdamState(name));
    }
    model.dispose();
    fresh.dispose();
  });
});
