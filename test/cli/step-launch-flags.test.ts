// --step-graph and --overlap-upload on the commands that build a CUDA model: CUDA only and
// experimental, so anything but an explicit --backend cuda is a one-sentence usage error (exit 2);
// with it, the plan has them (inspect, compile).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { snncHere } from "../support/cli-here.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "snnc.mjs");
const tmp = mkdtempSync(join(tmpdir(), "snnc-step-launch-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `snnc …` as a user runs it: a child process (the first usage-error case). */
function snncSpawned(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SNNC_DEBUG: "" } });
  const out = { code: r.status, stdout: r.stdout, stderr: r.stderr };
  expect(out.stdout + out.stderr).not.toContain("    at ");
  return out;
}

/** The same command run by main() in this process (test/support/cli-here.ts). */
async function snnc(args: string[]) {
  const out = await snncHere(args);
  expect(out.stdout + out.stderr).not.toContain("    at ");
  return out;
}

describe("--step-graph and --overlap-upload", () => {
  it.each([
    [["train", "models/tiny.json", "--backend", "cpu", "--step-graph"], "--step-graph is CUDA only (experimental): use it with --backend cuda, not --backend cpu"],
    [["train", "models/tiny.json", "--overlap-upload"], "--overlap-upload is CUDA only (experimental): use it with --backend cuda, not --backend auto"],
    [["bench", "models/tiny.json", "--backend", "auto", "--step-graph", "--overlap-upload"], "--step-graph and --overlap-upload are CUDA only (experimental): use them with --backend cuda, not --backend auto"],
    [["build", "models/tiny.json", "--step-graph"], "--step-graph is CUDA only (experimental): use it with --backend cuda, not --backend cpu"],
    [["compile", "models/tiny.json", "--backend", "cpu", "--overlap-upload"], "--overlap-upload is CUDA only (experimental): use it with --backend cuda, not --backend cpu"],
    [["inspect", "models/tiny.json", "--step-graph"], "--step-graph is CUDA only (experimental): use it with --backend cuda, not --backend cpu"],
  ])("snnc %j: one sentence, exit 2, nothing done", async (args, sentence) => {
    const out = join(tmp, `never-${args[0]}`);
    const full = args[0] === "train" ? [...args, "--out", out] : args;
    // The first case through bin/snnc.mjs in a child process, the rest in this process.
    const r = args[0] === "train" && args.includes("--step-graph") ? snncSpawned(full) : await snnc(full);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([sentence]);
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  it("are in the help of train, bench, build, compile and inspect as CUDA only, experimental, not yet verified on a GPU", async () => {
    for (const cmd of ["train", "bench", "build", "compile", "inspect"]) {
      const help = (await snnc([cmd, "--help"])).stdout.replace(/\s+/g, " ");
      expect(help, cmd).toContain("--step-graph capture a training step's launches once into a CUDA graph and replay it (CUDA only, experimental, not yet verified on a GPU)");
      expect(help, cmd).toContain("--overlap-upload upload the next batch's input events from pinned memory while the current step runs (CUDA only, experimental, not yet verified on a GPU)");
    }
  });

  it("with --backend cuda the plan has them: inspect shows them, compile emits their code", async () => {
    const plain = await snnc(["inspect", "models/tiny.json"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/step graph\s+off/);
    const on = await snnc(["inspect", "models/tiny.json", "--backend", "cuda", "--step-graph", "--overlap-upload"]);
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/step graph\s+on/);
    expect(on.stdout).toMatch(/overlap upload\s+on/);
    const json = JSON.parse((await snnc(["inspect", "models/tiny.json", "--json", "--backend", "cuda", "--step-graph"])).stdout);
    expect(json.plan.stepLaunch).toEqual({ stepGraph: true, overlapUpload: false });

    const dir = join(tmp, "tiny-cuda-graph");
    const c = await snnc(["compile", "models/tiny.json", "--backend", "cuda", "--step-graph", "--out", dir]);
    expect(c.code).toBe(0);
    const kernels = readFileSync(join(dir, "kernels.cu"), "utf8");
    expect(kernels).toContain("cudaGraphLaunch");
    expect(kernels).not.toContain("cudaMallocHost");
  });
});
