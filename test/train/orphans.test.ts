// A run that fails or stops before it produced anything leaves no run directory behind, and the
// `*.tmp-<pid>-<ms>` files of a write killed half-way (SIGKILL) are cleared by the next run
// (issue 13, item 6).

import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeStaleTemps } from "../../compiler/util/atomic-write.ts";
import { encodeSafetensors, readSafetensors } from "../../runtime/checkpoint/safetensors.ts";
import { NonFiniteError } from "../../runtime/train/trainer.ts";
import { trainedRunFixture, trainQuiet } from "./support.ts";

const { tmp, dir: goodDir } = trainedRunFixture("orphans", "good", { epochs: 1, limit: 8 });

/** pid_max is at most 2^22 on Linux: this writer is surely gone. */
const DEAD_PID = 999_999_999;

describe("failed starts leave no run directory", () => {
  it("a checkpoint whose tensors have the wrong shape", async () => {
    const { tensors, metadata } = readSafetensors(join(goodDir(), "last.safetensors"));
    const w1 = tensors.get("w1")!;
    tensors.set("w1", { ...w1, shape: [w1.shape[0] * w1.shape[1]] });
    const dir = join(tmp.path, "elsewhere");
    mkdirSync(dir);
    const bad = join(dir, "bad.safetensors");
    writeFileSync(bad, encodeSafetensors(tensors, metadata));
    const runsRoot = join(tmp.path, "runs-shape");
    await expect(trainQuiet({ resume: bad, runsRoot, epochs: 2 })).rejects.toThrow(/corrupt checkpoint: tensor w1 has shape/);
    expect(existsSync(runsRoot) ? readdirSync(runsRoot) : []).toEqual([]);
  });

  it("a non-finite loss in the first batch", async () => {
    const out = join(tmp.path, "nan");
    const run = trainQuiet({
      out,
      epochs: 1,
      onModel: (m) => {
        for (const [name, value] of [["w1", 2], ["w2", 2], ["w3", Infinity]] as const) m.setWeights(name, new Float32Array(m.getWeights(name).length).fill(value));
      },
    });
    await expect(run).rejects.toThrow(NonFiniteError);
    expect(existsSync(out)).toBe(false);
  });

  it("a stop before the first batch", async () => {
    const runsRoot = join(tmp.path, "runs-stop");
    const r = await trainQuiet({ runsRoot, epochs: 1, stop: { requested: true } });
    expect(r.status).toBe("interrupted");
    expect(existsSync(runsRoot) ? readdirSync(runsRoot) : []).toEqual([]);
  });

  it("a stop that comes while the kernels are opened: ends before the first batch, says so, writes nothing", async () => {
    const runsRoot = join(tmp.path, "runs-stop-build");
    // Not asked when the data has loaded (the first look), asked from the next one on: the
    // signal came during the kernels' build or lookup.
    let looks = 0;
    const stop = {
      get requested() {
        return ++looks > 1;
      },
      signal: "SIGTERM" as const,
    };
    const log: string[] = [];
    const r = await trainQuiet({ runsRoot, epochs: 1, stop }, log);
    expect(r.status).toBe("interrupted");
    expect(r.checkpoint).toBeNull();
    expect(r.epochsDone).toBe(0);
    expect(looks).toBeGreaterThan(1);
    expect(log.at(-1)).toBe("stopped by SIGTERM before training began; nothing was written");
    expect(existsSync(runsRoot) ? readdirSync(runsRoot) : []).toEqual([]);
  });
});

describe("temporary files of a killed write", () => {
  it("are removed when a run resumes in their directory; a live writer's are kept", async () => {
    const dead = `last.safetensors.tmp-${DEAD_PID}-1700000000000`;
    const live = `metrics.jsonl.tmp-${process.pid}-1700000000000`;
    writeFileSync(join(goodDir(), dead), "half a checkpoint");
    writeFileSync(join(tmp.path, live), "");
    await trainQuiet({ resume: join(goodDir(), "last.safetensors"), epochs: 2 });
    expect(readdirSync(goodDir()).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(removeStaleTemps(tmp.path)).toEqual([]);
    expect(existsSync(join(tmp.path, live))).toBe(true);
  });
});
