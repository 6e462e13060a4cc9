// Data-parallel training under mpirun (runtime/mpi/): two ranks of one OpenMP thread each against
// one process with the same global batch, a rank killed or hung mid-epoch, and Ctrl-C to the job.
//
// Why the fmnist reference runs with two OpenMP threads: ranks and threads split a batch the same
// way (runtime/mpi/data-parallel.ts, shardRange), so 2 ranks × 1 thread and 1 process × 2 threads
// add the same partial sums in the same order and must give the same bits. Against one process of
// one thread only the summation order differs; that is checked after one step (within 1e-6), because
// training this network amplifies such rounding: two one-process runs at 1 and 2 threads already
// differ by several percent after 20 steps (a spike flips, then its gradient differs outright).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { readSafetensors } from "../../runtime/checkpoint/safetensors.ts";
import { describeMpi, rankPid, startMpi, startSolo, until, type Run } from "../support/mpi.ts";
import { tempDir } from "./support.ts";

const tmp = tempDir("mpi");
afterAll(() => tmp.remove());
const dir = (name: string) => join(tmp.path, name);

/** Largest |a − b| / max |a| over the weight tensors (Adam moments left out) of two checkpoints. */
function weightDifference(a: string, b: string): number {
  const ta = readSafetensors(a).tensors;
  const tb = readSafetensors(b).tensors;
  let worst = 0;
  for (const [name, t] of ta) {
    if (name.startsWith("adam_")) continue;
    const u = t.data as Float32Array;
    const v = tb.get(name)!.data as Float32Array;
    let d = 0;
    let m = 0;
    for (let k = 0; k < u.length; k++) {
      d = Math.max(d, Math.abs(u[k] - v[k]));
      m = Math.max(m, Math.abs(u[k]));
    }
    worst = Math.max(worst, d / m);
  }
  return worst;
}

function finished(r: Run): Run {
  expect(r.code, `exit ${r.code}:\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

function testAccuracy(runDir: string): number {
  const lines = readFileSync(join(runDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  return lines.filter((l) => l.type === "epoch").at(-1).test.accuracy;
}

const train = (spec: string, out: string, more: string[]) => ["train", spec, "--backend", "cpu", "--progress", "none", "--val", "0", "--out", out, ...more];

describeMpi("data-parallel training with mpirun -np 2", () => {
  it("tiny: 20 steps on 2 ranks give one process's weights (within 1e-6), and only rank 0 speaks and writes", async () => {
    const args = ["--epochs", "1", "--limit", "80"]; // batch 4: 20 steps
    const [mpi, solo] = await Promise.all([startMpi(2, train("models/tiny.json", dir("tiny-mpi"), args)).done, startSolo(train("models/tiny.json", dir("tiny-solo"), args)).done]);
    finished(mpi);
    finished(solo);
    expect(weightDifference(join(dir("tiny-solo"), "last.safetensors"), join(dir("tiny-mpi"), "last.safetensors"))).toBeLessThanOrEqual(1e-6);
    expect(mpi.stdout.match(/^epoch 1\/1/gm)).toHaveLength(1);
    expect(mpi.stdout).toMatch(/^mpi: 2 ranks on host .+, Open MPI/m);
    const run = JSON.parse(readFileSync(join(dir("tiny-mpi"), "run.json"), "utf8"));
    expect(run.mpi).toMatchObject({ ranks: 2, gradientReduce: "in-place", nccl: false });
    expect(run.mpi.bytesPerStep).toBeGreaterThan(0);
  });

  it("fmnist: 20 steps on 2 ranks × 1 thread equal one process × 2 threads bit for bit, and one step equals one thread within 1e-6", async () => {
    const twenty = ["--epochs", "1", "--limit", "5120"]; // batch 256: 20 steps
    const one = ["--epochs", "1", "--limit", "256"];
    // Two runs at a time: each uses both cores.
    const [mpi, solo2] = await Promise.all([
      startMpi(2, train("models/fmnist.json", dir("f20-mpi"), twenty)).done,
      startSolo(train("models/fmnist.json", dir("f20-solo2"), twenty), { OMP_NUM_THREADS: "2" }).done,
    ]);
    finished(mpi);
    finished(solo2);
    expect(weightDifference(join(dir("f20-solo2"), "last.safetensors"), join(dir("f20-mpi"), "last.safetensors"))).toBe(0);
    const [mpi1, solo1] = await Promise.all([startMpi(2, train("models/fmnist.json", dir("f1-mpi"), one)).done, startSolo(train("models/fmnist.json", dir("f1-solo"), one)).done]);
    finished(mpi1);
    finished(solo1);
    expect(weightDifference(join(dir("f1-solo"), "last.safetensors"), join(dir("f1-mpi"), "last.safetensors"))).toBeLessThanOrEqual(1e-6);
  });

  // 50 steps (a fifth of an epoch) then the whole test split: what the 20-step test above does not
  // reach is the sharded evaluation and the epoch's reduced counts, not more steps of the same.
  it("fmnist: 50 steps and an evaluation on 2 ranks reach one process's test accuracy (within 0.1 points)", async () => {
    const args = ["--epochs", "1", "--limit", "12800"];
    const [mpi, solo2] = await Promise.all([
      startMpi(2, train("models/fmnist.json", dir("fe-mpi"), args)).done,
      startSolo(train("models/fmnist.json", dir("fe-solo2"), args), { OMP_NUM_THREADS: "2" }).done,
    ]);
    finished(mpi);
    finished(solo2);
    expect(Math.abs(testAccuracy(dir("fe-mpi")) - testAccuracy(dir("fe-solo2")))).toBeLessThanOrEqual(0.001);
  });

  it("snnc bench under mpirun times the step and its gradient reduce: bytes per step and share", async () => {
    const r = finished(await startMpi(2, ["bench", "models/tiny.json", "--backend", "cpu", "--reps", "3", "--warmup", "1", "--json"]).done);
    const json = JSON.parse(r.stdout);
    expect(json.format).toBe("snnc-bench-ranks/1");
    const [c] = json.configs;
    expect(c).toMatchObject({ model: "tiny", ranks: 2, batch: 4, share: 2, route: "in-place" });
    expect(c.bytesPerStep).toBe(4 * (128 + 64 + 64)); // w1 96, w2 48, w3 18 floats, each from a 64-float boundary
    expect(c.sharePct).toBeGreaterThan(0);
    expect(c.sharePct).toBeLessThan(100);
  });

  it("a rank killed mid-epoch ends the job within 30 s, naming the rank, and leaves only whole checkpoints", async () => {
    const out = dir("killed");
    const job = startMpi(2, train("models/fmnist.json", out, ["--epochs", "40", "--limit", "2560"]));
    await until(() => existsSync(join(out, "checkpoint-epoch-1.safetensors")) || job.child.exitCode !== null, 60, "the first epoch's checkpoint");
    const victim = rankPid(job.child.pid!, 1);
    expect(victim, job.output()).not.toBeNull();
    const killedAt = performance.now();
    process.kill(victim!, "SIGKILL");
    const r = await job.done;
    expect((performance.now() - killedAt) / 1000).toBeLessThan(30);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/rank 1\b/);
    const files = readdirSync(out);
    expect(files.filter((f) => f.includes(".tmp-"))).toEqual([]);
    for (const f of files.filter((f) => f.endsWith(".safetensors"))) expect(() => readSafetensors(join(out, f))).not.toThrow();
  });

  it("a rank that hangs ends the job after SNNC_MPI_TIMEOUT with one sentence naming it", async () => {
    const out = dir("hung");
    const job = startMpi(2, train("models/fmnist.json", out, ["--epochs", "40", "--limit", "2560"]), { SNNC_MPI_TIMEOUT: "3" });
    let victim: number | null = null;
    try {
      await until(() => existsSync(join(out, "checkpoint-epoch-1.safetensors")) || job.child.exitCode !== null, 60, "the first epoch's checkpoint");
      victim = rankPid(job.child.pid!, 1);
      expect(victim, job.output()).not.toBeNull();
      process.kill(victim!, "SIGSTOP");
      const r = await job.done;
      expect(r.stderr).toMatch(/^rank 1 of 2 did not reach the .+ within 3 s \(died, hung or lost its connection\); stopping the job$/m);
      expect(r.seconds).toBeLessThan(60);
    } finally {
      if (victim !== null) try { process.kill(victim, "SIGKILL"); } catch { /* already ended by mpirun */ }
    }
  });

  it("Ctrl-C to mpirun leaves rank 0's checkpoint, and the run resumes on one process", async () => {
    const out = dir("interrupted");
    const job = startMpi(2, train("models/tiny.json", out, ["--epochs", "400"]));
    await until(() => existsSync(join(out, "checkpoint-epoch-2.safetensors")) || job.child.exitCode !== null, 60, "two epochs");
    job.child.kill("SIGINT");
    const r: Run = await job.done;
    expect(r.stdout).toMatch(/^interrupted in epoch \d+ after \d+ of \d+ samples; checkpoint written to .*last\.safetensors$/m);
    expect(r.stdout.match(/^interrupted/gm)).toHaveLength(1); // rank 0 alone
    // Resumed on one process, it finishes the epoch the job was in.
    const epoch = /^interrupted in epoch (\d+)/m.exec(r.stdout)![1];
    const resumed = await startSolo(["train", "models/tiny.json", "--backend", "cpu", "--progress", "none", "--resume", join(out, "last.safetensors"), "--epochs", epoch]).done;
    finished(resumed);
    expect(resumed.stdout).toMatch(/^resumed from /m);
  });
});
