// `snnc train`, `snnc eval` and Ctrl-C, as a user runs them: a child process on tiny.json (CPU).

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../runtime/checkpoint/checkpoint.ts";
import { GENERATED_ROOT, loadNetwork } from "../../compiler/pipeline.ts";
import { openCpu, tempDir, TINY } from "./support.ts";

const tmp = tempDir("train-cli");
beforeAll(async () => {
  await openCpu(TINY);
});
afterAll(() => tmp.remove());

/** `snnc train` on tiny for ever, `onStdout` called with the output so far at each chunk (to
 *  interrupt it); resolves when the process has exited. */
function trainUntil(out: string, onStdout: (stdout: string, child: ChildProcess) => void) {
  const child = spawn(process.execPath, ["bin/snnc.mjs", "train", TINY, "--backend", "cpu", "--epochs", "100000", "--val", "0", "--progress", "none", "--out", out], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.stdout!.on("data", (d) => {
      stdout += d;
      onStdout(stdout, child);
    });
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const snnc = (...args: string[]) => spawnSync(process.execPath, ["bin/snnc.mjs", ...args], { encoding: "utf8", timeout: 120_000 });

describe("snnc train / eval", () => {
  it("trains, prints the backend, data, build status, epoch lines, final accuracy and the run directory", () => {
    const out = join(tmp.path, "run");
    const r = snnc("train", TINY, "--backend", "cpu", "--epochs", "2", "--limit", "64", "--seed", "3", "--lr", "0.005", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    // The kernels were built by an earlier test, so no "building the cpu kernels…" line.
    expect(lines.slice(0, 6)).toEqual([
      "data: synthetic task (12 inputs, 3 classes, seed 1; 512 train / 128 test)",
      "validation: 51 of 512 training samples held out (seed 3); best.safetensors keeps the epoch with the best validation accuracy",
      "backend: cpu",
      "kernels up to date",
      "--limit 64: training on 64 of 461 samples, testing on 18 of 128, validating on 8 of 51 (the same share)",
      `run directory: ${out}`,
    ]);
    expect(lines[6]).toBe("training 2 epochs (to 2) of 64 samples, batch 4, lr 0.005, seed 3");
    expect(lines.filter((l) => /^epoch \d\/2  train loss \S+ acc \S+  val loss \S+ acc \S+  test loss/.test(l))).toHaveLength(2);
    expect(lines.at(-3)).toMatch(/^final test accuracy \d+\.\d% \(loss \d\.\d{3}\) after 2 epochs, .* \(last\.safetensors\)$/);
    expect(lines.at(-2)).toMatch(/^best validation accuracy \d+\.\d% at epoch [12]: test accuracy \d+\.\d% \(loss \d\.\d{3}\) for best\.safetensors$/);
    expect(lines.at(-1)).toBe(`run directory: ${out} (report: ${join(out, "report.html")})`);
    expect(existsSync(join(out, "best.safetensors"))).toBe(true);

    const e = snnc("eval", TINY, join(out, "last.safetensors"), "--backend", "cpu", "--limit", "50");
    expect(e.stderr).toBe("");
    expect(e.status).toBe(0);
    expect(e.stdout).toContain("--limit 50: evaluating 50 of 128 test samples\n");
    expect(e.stdout).toContain(`checkpoint: ${join(out, "last.safetensors")} (2 epochs, 32 Adam steps)\n`);
    expect(e.stdout).toMatch(/\ntest accuracy \d+\.\d%  loss \d\.\d{3}  \(50 samples, \d+\.\d s\)\nl1 active /);
  });

  it("reports bad arguments and unusable checkpoints in one line, without a stack", () => {
    const bad = snnc("train", TINY, "--epochs", "0");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`error: option '--epochs <n>' argument '0' is invalid. expected a positive integer, got "0"`);
    const missing = snnc("eval", TINY, join(tmp.path, "nope.safetensors"), "--backend", "cpu");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`${join(tmp.path, "nope.safetensors")}: cannot read the checkpoint: no such file\n`);
  });

  it("Ctrl-C finishes the batch, writes a checkpoint, says where, and exits 130", async () => {
    const out = join(tmp.path, "sigint");
    const child = spawn(process.execPath, ["bin/snnc.mjs", "train", TINY, "--backend", "cpu", "--epochs", "100000", "--val", "0", "--progress", "none", "--out", out], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on("data", (d) => {
        stdout += d;
        // Interrupt once training is under way (the first epoch line has been printed).
        if (/\nepoch 1\/100000 /.test(stdout) && !child.killed) child.kill("SIGINT");
      });
      child.on("exit", (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(stderr).toContain("interrupt: finishing this batch, then writing a checkpoint (Ctrl-C again to quit at once)");
    const ckpt = join(out, "last.safetensors");
    expect(stdout).toMatch(new RegExp(`\\ninterrupted in epoch \\d+ after \\d+ of 512 samples; checkpoint written to ${ckpt.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\n`));
    expect(stdout).toContain(`resume with: snnc train ${TINY} --resume ${ckpt}\n`);
    expect(existsSync(ckpt)).toBe(true);
    const meta = loadCheckpoint(ckpt).meta;
    expect(meta.epoch).toBeGreaterThanOrEqual(1);
    expect(meta.adamSteps).toBe(meta.epoch * 128 + Math.ceil(meta.samplesDone / 4));
  });

  it.each([
    ["SIGTERM", 143, null, "SIGTERM: finishing this batch, then writing a checkpoint (send it again to quit at once)"],
    // SIGHUP ends the process by the signal itself once the checkpoint is written (shells say 129).
    ["SIGHUP", null, "SIGHUP", "SIGHUP (terminal closed): finishing this batch, then writing a checkpoint"],
  ] as const)("%s (kill, schedulers, CI; a closed terminal) also finishes the batch and checkpoints", async (signal, exitCode, exitSignal, notice) => {
    const out = join(tmp.path, signal);
    const { code, signal: bySignal, stdout, stderr } = await trainUntil(out, (text, child) => {
      if (/\nepoch 1\/100000 /.test(text) && !child.killed) child.kill(signal);
    });
    expect([code, bySignal]).toEqual([exitCode, exitSignal]);
    expect(stderr).toContain(notice);
    const ckpt = join(out, "last.safetensors");
    expect(stdout).toContain(`checkpoint written to ${ckpt}\n`);
    expect(loadCheckpoint(ckpt).meta.epoch).toBeGreaterThanOrEqual(1);
  });

  it("a closed stdout (`snnc train … | head`) stops the run like SIGTERM: checkpoint, notice on stderr, exit 141", async () => {
    const out = join(tmp.path, "epipe");
    // As `head` does, once training is under way: close the pipe after the first epoch line. (Closing
    // it after the first two lines raced the kernel build: a close seen before the first batch stops
    // the run with nothing to save, which is right but not what this test is about.)
    const { code, stderr } = await trainUntil(out, (stdout, child) => {
      if (/\nepoch 1\/100000 /.test(stdout) && !child.stdout!.destroyed) child.stdout!.destroy();
    });
    expect(code).toBe(141);
    expect(stderr).toContain("standard output was closed (EPIPE): finishing this batch, then writing a checkpoint");
    const ckpt = join(out, "last.safetensors");
    // The lines after the close go to stderr, the checkpoint's path among them.
    expect(stderr).toContain(`checkpoint written to ${ckpt}\n`);
    expect(loadCheckpoint(ckpt).meta.adamSteps).toBeGreaterThanOrEqual(1);
  });

  it("Ctrl-C during the kernel build says the build was interrupted (no cmake log), exit 130", async () => {
    // A spec of its own, so the build has work to do and no other test waits on its folder.
    const spec = join(tmp.path, "sigbuild.json");
    const text = JSON.parse(readFileSync(TINY, "utf8"));
    text.name = `sigbuild${process.pid}`;
    writeFileSync(spec, JSON.stringify(text));
    const net = loadNetwork(spec);
    const gen = join(GENERATED_ROOT, `${net.name}-${net.specHash.slice(0, 12)}`);
    try {
      // Its own process group, as a terminal's Ctrl-C reaches cmake and the compiler too.
      const child = spawn(process.execPath, ["bin/snnc.mjs", "train", spec, "--backend", "cpu", "--progress", "none", "--out", join(tmp.path, "sigbuild")], {
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let all = "";
      let sent = false;
      const code = await new Promise<number | null>((resolve) => {
        const onData = (d: Buffer) => {
          all += d;
          if (!sent && all.includes("building the cpu kernels…")) {
            sent = true;
            setTimeout(() => process.kill(-child.pid!, "SIGINT"), 300);
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", (c) => resolve(c));
      });
      expect(code).toBe(130);
      expect(all).not.toContain("configure failed");
      expect(all).not.toContain("build failed");
      expect(all).not.toContain("checkpoint");
      expect(all).toMatch(/the kernel build in \S+ was interrupted \(SIGINT\) before it finished; run the command again to build the kernels\n$/);
      expect(existsSync(join(tmp.path, "sigbuild"))).toBe(false);
    } finally {
      rmSync(gen, { recursive: true, force: true });
    }
  });

  // A real terminal that goes away (ssh drops, the window closes): every later write fails with
  // EIO. The run must still write its checkpoint, then end by SIGHUP (not crash). Needs a pty:
  // python3's pty module drives one.
  const python = spawnSync("python3", ["-c", "import pty"]).status === 0;
  it.skipIf(!python)("closing the terminal mid-epoch writes a checkpoint, then ends by SIGHUP", () => {
    const out = join(tmp.path, "hangup");
    const script = [
      "import os, pty, re, sys",
      "pid, fd = pty.fork()",
      "if pid == 0:",
      "    os.execv(sys.argv[1], sys.argv[1:])",
      "buf = b''",
      // Wait until a batch has been trained (the bar shows a running loss), then hang up.
      "while not re.search(rb'loss \\d', buf):",
      "    try: buf += os.read(fd, 4096)",
      "    except OSError: break",
      "os.close(fd)",
      "_, status = os.waitpid(pid, 0)",
      "print(os.waitstatus_to_exitcode(status))",
    ].join("\n");
    const r = spawnSync("python3", ["-c", script, process.execPath, "bin/snnc.mjs", "train", TINY, "--backend", "cpu", "--epochs", "100000", "--out", out], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.stdout.trim()).toBe("-1"); // killed by signal 1, SIGHUP: no crash, no abort
    const meta = loadCheckpoint(join(out, "last.safetensors")).meta;
    expect(meta.epoch * 512 + meta.samplesDone).toBeGreaterThan(0);
  });
});
