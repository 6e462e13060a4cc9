// Checkpoints of a real model (tiny.json, CPU backend): every weight and Adam moment and the
// metadata survive a write and read; a checkpoint of another spec, a truncated file and a foreign
// safetensors file are refused with one exact sentence each.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHECKPOINT_FORMAT,
  CheckpointError,
  loadCheckpoint,
  restoreCheckpoint,
  saveCheckpoint,
} from "../../runtime/checkpoint/checkpoint.ts";
import { encodeSafetensors, readSafetensors } from "../../runtime/checkpoint/safetensors.ts";
import { loadDataset } from "../../runtime/data/index.ts";
import type { OpenedNetwork } from "../../runtime/model/open-model.ts";
import { Trainer } from "../../runtime/train/trainer.ts";
import { openCpu, tempDir, TINY, trainQuiet } from "../train/support.ts";

const tmp = tempDir("checkpoint");
let opened: OpenedNetwork;
beforeAll(async () => {
  opened = await openCpu(TINY);
});
afterAll(() => tmp.remove());

const settings = { epoch: 1, samplesDone: 0, seed: 5, backend: "cpu", batch: 4, lr: 0.01, epochs: 3, limit: null, partial: null };

/** A model with non-trivial weights and Adam moments: one epoch on 64 samples. */
async function trainedModel() {
  const model = opened.create({ seed: 5 });
  const data = await loadDataset("synthetic", { steps: 16, synthetic: { inputs: 12, classes: 3, trainSamples: 64 } });
  await new Trainer(model, { train: data.train, test: data.test, batch: 4, seed: 5, lr: 0.01 }).trainEpoch(0);
  return model;
}

describe("checkpoints", () => {
  it("round-trip every weight, Adam moment, the Adam step count and the metadata", async () => {
    const model = await trainedModel();
    const path = join(tmp.path, "a.safetensors");
    saveCheckpoint(path, model, settings);
    const ckpt = loadCheckpoint(path);
    expect(ckpt.meta).toMatchObject({ ...settings, specHash: opened.network.specHash, specName: "tiny", adamSteps: 16 });
    expect(new Date(ckpt.meta.created).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect([...ckpt.tensors.keys()]).toEqual(["w1", "w2", "w3", "adam_m_w1", "adam_v_w1", "adam_m_w2", "adam_v_w2", "adam_m_w3", "adam_v_w3"]);
    expect(ckpt.tensors.get("w1")!.shape).toEqual([12, 8]);
    expect(ckpt.tensors.get("adam_v_w3")!.shape).toEqual([6, 3]);

    // Into a fresh model (other initial weights): everything equal bit for bit.
    const fresh = opened.create({ seed: 99 });
    expect(fresh.getWeights("w1")).not.toEqual(model.getWeights("w1"));
    restoreCheckpoint(fresh, ckpt, TINY);
    expect(fresh.adamSteps).toBe(16);
    for (const name of model.weightNames) {
      expect(fresh.getWeights(name)).toEqual(model.getWeights(name));
      expect(fresh.getAdamState(name)).toEqual(model.getAdamState(name));
    }
    // The raw metadata strings, as other tools see them.
    const { metadata } = readSafetensors(path);
    expect(metadata).toMatchObject({ format: CHECKPOINT_FORMAT, epoch: "1", adamSteps: "16", seed: "5", backend: "cpu", batch: "4", specName: "tiny", limit: "", partial: "" });
    model.dispose();
    fresh.dispose();
  });

  it("is written atomically: no temporary file is left beside it", async () => {
    const model = await trainedModel();
    const dir = tempDir("atomic");
    saveCheckpoint(join(dir.path, "c.safetensors"), model, settings);
    saveCheckpoint(join(dir.path, "c.safetensors"), model, settings);
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(dir.path)).toEqual(["c.safetensors"]);
    dir.remove();
    model.dispose();
  });

  it("refuses a checkpoint of another spec, naming both", async () => {
    const model = await trainedModel();
    const path = join(tmp.path, "tiny.safetensors");
    saveCheckpoint(path, model, settings);
    model.dispose();
    // Same network, another learning rate: another resolved spec, another hash.
    const other = JSON.parse(readFileSync(TINY, "utf8"));
    other.name = "tiny-lr";
    other.training.optimizer.lr = 0.02;
    delete other.$schema;
    const otherPath = join(tmp.path, "tiny-lr.json");
    writeFileSync(otherPath, JSON.stringify(other));
    const { loadNetwork } = await import("../../compiler/pipeline.ts");
    const otherHash = loadNetwork(otherPath).specHash;
    const message = `${path} was trained on spec "tiny" (hash ${opened.network.specHash.slice(0, 12)}) but ${otherPath} is "tiny-lr" (hash ${otherHash.slice(0, 12)}); use the spec it was trained with`;
    await expect(trainQuiet({ specPath: otherPath, resume: path, out: join(tmp.path, "other") })).rejects.toThrow(new CheckpointError(message));
    const { runEval } = await import("../../runtime/train/run-eval.ts");
    await expect(runEval({ specPath: otherPath, checkpoint: path, backend: "cpu", log: () => {} })).rejects.toThrow(message);
  });

  it("refuses a truncated checkpoint with the file and what is wrong", async () => {
    const model = await trainedModel();
    const path = join(tmp.path, "cut.safetensors");
    saveCheckpoint(path, model, settings);
    model.dispose();
    const bytes = readFileSync(path);
    // Cut 50 bytes: the last tensor (adam_v_w3, 6×3 floats = 72 bytes) loses its end.
    writeFileSync(path, bytes.subarray(0, bytes.length - 50));
    const dataBytes = bytes.length - 8 - Number(bytes.readBigUInt64LE(0));
    expect(() => loadCheckpoint(path)).toThrow(
      `${path}: truncated safetensors file: tensor adam_v_w3 needs data bytes ${dataBytes - 72}–${dataBytes} but the data section holds only ${dataBytes - 50}`,
    );
    writeFileSync(path, bytes.subarray(0, 6));
    expect(() => loadCheckpoint(path)).toThrow(`${path}: not a safetensors file: it is 6 bytes long, shorter than the 8-byte header length`);
  });

  it("refuses safetensors files that are not snnc checkpoints, or lack a tensor", async () => {
    const path = join(tmp.path, "foreign.safetensors");
    writeFileSync(path, encodeSafetensors(new Map([["w1", { dtype: "F32", shape: [1], data: new Float32Array(1) }]]), { source: "pytorch" }));
    expect(() => loadCheckpoint(path)).toThrow(`${path}: not an snnc checkpoint (its safetensors metadata has no "format" entry)`);

    const model = await trainedModel();
    const full = join(tmp.path, "full.safetensors");
    saveCheckpoint(full, model, settings);
    const { tensors, metadata } = readSafetensors(full);
    tensors.delete("adam_m_w2");
    const partial = join(tmp.path, "partial.safetensors");
    writeFileSync(partial, encodeSafetensors(tensors, metadata));
    expect(() => restoreCheckpoint(model, loadCheckpoint(partial), TINY)).toThrow(`${partial}: corrupt checkpoint: tensor adam_m_w2 is missing`);
    writeFileSync(partial, encodeSafetensors(readSafetensors(full).tensors, { ...metadata, adamSteps: "many" }));
    expect(() => loadCheckpoint(partial)).toThrow(`${partial}: corrupt checkpoint: metadata "adamSteps" is "many", not a non-negative integer`);
    writeFileSync(partial, encodeSafetensors(readSafetensors(full).tensors, { ...metadata, format: "snnc-checkpoint-9" }));
    expect(() => loadCheckpoint(partial)).toThrow(`${partial}: unsupported checkpoint format "snnc-checkpoint-9" (this snnc reads snnc-checkpoint-1)`);
    model.dispose();
  });
});
