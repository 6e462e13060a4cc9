// Checkpoints of a network with biases and the other neuron options (tiny.json with a bias on
// every layer, CuBa and reset to_reset): the bias tensors travel as `b<k>` with their Adam moments
// `adam_m_b<k>`, `adam_v_b<k>`; a checkpoint of the bias-free tiny.json is refused with one
// sentence naming both specs, and one whose bias tensor is missing names the tensor.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint, restoreCheckpoint, saveCheckpoint } from "../../runtime/checkpoint/checkpoint.ts";
import { loadDataset } from "../../runtime/data/index.ts";
import type { OpenedNetwork } from "../../runtime/model/open-model.ts";
import { Trainer } from "../../runtime/train/trainer.ts";
import { openCpu, tempDir, TINY } from "../train/support.ts";

const tmp = tempDir("checkpoint-bias");
const specPath = join(tmp.path, "tiny-bias.json");
let opened: OpenedNetwork;
let plain: OpenedNetwork;
beforeAll(async () => {
  const spec = JSON.parse(readFileSync(TINY, "utf8"));
  delete spec.$schema;
  spec.name = "tiny-bias";
  spec.neuron = { ...spec.neuron, tau_syn_ms: 4, reset: "to_reset" };
  spec.layers = spec.layers.map((l: { kind: string }) => ({ ...l, bias: true, ...(l.kind === "readout" ? { tau_syn_ms: 2 } : {}) }));
  writeFileSync(specPath, JSON.stringify(spec));
  opened = await openCpu(specPath);
  plain = await openCpu(TINY);
});
afterAll(() => tmp.remove());

const settings = { epoch: 1, samplesDone: 0, seed: 5, backend: "cpu", batch: 4, lr: 0.01, epochs: 3, limit: null, partial: null };

describe("checkpoints with biases", () => {
  it("hold b<k> and its Adam moments, trained away from their zero init, and restore them", async () => {
    const model = opened.create({ seed: 5 });
    expect(Array.from(model.getWeights("b1"))).toEqual(new Array(8).fill(0));
    const data = await loadDataset("synthetic", { steps: 16, synthetic: { inputs: 12, classes: 3, trainSamples: 64 } });
    await new Trainer(model, { train: data.train, test: data.test, batch: 4, seed: 5, lr: 0.01 }).trainEpoch(0);
    expect(model.getWeights("b1").some((x) => x !== 0)).toBe(true);
    expect(model.getWeights("b3").some((x) => x !== 0)).toBe(true);

    const path = join(tmp.path, "bias.safetensors");
    saveCheckpoint(path, model, settings);
    const ckpt = loadCheckpoint(path);
    expect([...ckpt.tensors.keys()].filter((n) => !n.startsWith("adam"))).toEqual(["w1", "b1", "w2", "b2", "w3", "b3"]);
    expect(ckpt.tensors.get("b2")!.shape).toEqual([6]);
    expect(ckpt.tensors.has("adam_m_b3") && ckpt.tensors.has("adam_v_b3")).toBe(true);

    const fresh = opened.create({ seed: 99 });
    restoreCheckpoint(fresh, ckpt, specPath);
    for (const name of model.weightNames) {
      expect(fresh.getWeights(name)).toEqual(model.getWeights(name));
      expect(fresh.getAdamState(name)).toEqual(model.getAdamState(name));
    }
    model.dispose();
    fresh.dispose();
  });

  it("refuses a checkpoint of the bias-free spec, and names a missing bias tensor", () => {
    const path = join(tmp.path, "plain.safetensors");
    const old = plain.create({ seed: 1 });
    saveCheckpoint(path, old, settings);
    old.dispose();
    const model = opened.create({ seed: 1 });
    const ckpt = loadCheckpoint(path);
    expect(() => restoreCheckpoint(model, ckpt, specPath)).toThrow(
      `${path} was trained on spec "tiny" (hash ${plain.network.specHash.slice(0, 12)}) but ${specPath} is "tiny-bias" (hash ${opened.network.specHash.slice(0, 12)}); use the spec it was trained with`,
    );
    ckpt.meta.specHash = opened.network.specHash; // as if it claimed to be this spec's
    expect(() => restoreCheckpoint(model, ckpt, specPath)).toThrow(`${path}: corrupt checkpoint: tensor b1 is missing`);
    model.dispose();
  });
});
