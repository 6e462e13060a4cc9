// The small things of issue 13, item 7: an empty training split, checkpoints holding NaN weights,
// --data for the synthetic task, "1 classes", and a build that waits on another build's lock.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generatedDir, loadNetwork } from "../../compiler/pipeline.ts";
import { hashSpecWithDescription } from "../../compiler/ir/lower.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";
import { withDirLock } from "../../compiler/util/dir-lock.ts";
import { CheckpointError } from "../../runtime/checkpoint/checkpoint.ts";
import { encodeSafetensors, readSafetensors } from "../../runtime/checkpoint/safetensors.ts";
import { DataError, loadDataset } from "../../runtime/data/index.ts";
import { openNetwork } from "../../runtime/model/open-model.ts";
import { runEval } from "../../runtime/train/run-eval.ts";
import { createRunDir } from "../../runtime/train/run-dir.ts";
import { TINY, trainedRunFixture, trainQuiet } from "./support.ts";

const { tmp, dir: goodDir } = trainedRunFixture("small", "good", { epochs: 1, limit: 8 });

describe("data", () => {
  it("an empty training split is an error, not a run with loss NaN", async () => {
    await expect(trainQuiet({ out: join(tmp.path, "empty"), synthetic: { trainSamples: 0 } })).rejects.toThrow(
      new DataError("", "the training split (synthetic/train) has 0 samples; there is nothing to train on"),
    );
  });

  it("--data naming an existing folder for the synthetic task says it is not used (a missing one is refused)", async () => {
    const log: string[] = [];
    await trainQuiet({ out: join(tmp.path, "data-note"), epochs: 1, limit: 4, dataDir: tmp.path }, log);
    expect(log[0]).toBe(`note: --data ${tmp.path} is not used: tiny's dataset is "synthetic" (generated in memory, no files)`);
    await expect(trainQuiet({ out: join(tmp.path, "data-missing"), epochs: 1, limit: 4, dataDir: join(tmp.path, "nowhere") })).rejects.toThrow(/no such folder/);
  });

  it("one class is '1 class'", async () => {
    const d = await loadDataset("synthetic", { steps: 4, synthetic: { inputs: 1, classes: 1, trainSamples: 2, testSamples: 2 } });
    expect(d.source).toBe("synthetic task (1 input, 1 class, seed 1; 2 train / 2 test)");
  });
});

describe("a checkpoint with NaN weights", () => {
  let nan: string;
  beforeAll(() => {
    const { tensors, metadata } = readSafetensors(join(goodDir(), "last.safetensors"));
    const w1 = tensors.get("w1")!;
    const data = new Float32Array(w1.data as Float32Array);
    data[5] = NaN;
    tensors.set("w1", { ...w1, data });
    const dir = join(tmp.path, "nan-ckpt");
    mkdirSync(dir);
    nan = join(dir, "nan.safetensors");
    writeFileSync(nan, encodeSafetensors(tensors, metadata));
  });

  it("is refused for resuming, naming the weight (not blaming the learning rate)", async () => {
    await expect(trainQuiet({ resume: nan, epochs: 3, out: join(tmp.path, "from-nan") })).rejects.toThrow(
      new CheckpointError(`${nan} holds non-finite weights (w1[5] is NaN); it cannot be trained further: resume an earlier checkpoint of that run instead`),
    );
  });

  it("is evaluated with a warning", async () => {
    const log: string[] = [];
    await runEval({ specPath: TINY, checkpoint: nan, backend: "cpu", limit: 8, log: (l) => log.push(l) });
    expect(log).toContain(`warning: ${nan} holds non-finite weights (w1[5] is NaN); the accuracy below means nothing`);
  });
});

describe("a checkpoint written before the spec hash left out the description", () => {
  it("still resumes (its older hash of the same spec is accepted)", async () => {
    const { tensors, metadata } = readSafetensors(join(goodDir(), "last.safetensors"));
    const older = hashSpecWithDescription(loadSpecOrThrow(TINY).spec);
    expect(older).not.toBe(metadata.specHash);
    const dir = join(tmp.path, "older");
    mkdirSync(dir);
    const path = join(dir, "older.safetensors");
    writeFileSync(path, encodeSafetensors(tensors, { ...metadata, specHash: older }));
    const r = await trainQuiet({ resume: path, epochs: 2, out: join(tmp.path, "from-older") });
    expect(r.status).toBe("done");
  });
});

describe("run directories", () => {
  it("two runs started in the same second get two folders", () => {
    const root = join(tmp.path, "runs-same-second");
    const now = new Date(2026, 0, 2, 3, 4, 5);
    const a = createRunDir(root, "tiny", now);
    const b = createRunDir(root, "tiny", now);
    expect([a, b]).toEqual([join(root, "tiny-20260102-030405"), join(root, "tiny-20260102-030405-2")]);
  });
});

describe("a build that waits for another process's build", () => {
  it("says it is waiting", async () => {
    const dir = generatedDir(loadNetwork(TINY), "cpu");
    const phases: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let opening: Promise<unknown> | null = null;
    // Hold the folder's lock as another build would, and open the network meanwhile.
    await withDirLock(dir, async () => {
      opening = openNetwork(TINY, {
        backend: "cpu",
        onBuild: (e) => {
          phases.push(e.phase);
          if (e.phase === "wait") release();
        },
      });
      await released;
    });
    await opening;
    expect(phases).toEqual(["wait", "done"]);
  });
});
