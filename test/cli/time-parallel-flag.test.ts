// `--time-parallel` as users run it: a usage error with --backend cpu on every command that takes
// it; `snnc inspect` showing each LIF stage's forward schedule and why for the backend asked (text
// and --json) with the currents in the memory plan; `snnc compile` writing the variant into its
// own folder, the default build untouched.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { snncHere } from "../support/cli-here.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "snnc.mjs");
const tmp = mkdtempSync(join(tmpdir(), "snnc-tp-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `snnc …` as a user runs it: a child process (the first usage-error case). */
function snncSpawned(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command run by main() in this process (test/support/cli-here.ts). */
const snnc = (args: string[], env: Record<string, string> = {}) => snncHere(args, env);

describe("--time-parallel", () => {
  for (const command of ["compile", "build", "inspect", "train", "bench"])
    it(`is a usage error with --backend cpu (${command})`, async () => {
      const args = [command, "models/tiny.json", "--backend", "cpu", "--time-parallel"];
      // One command through bin/snnc.mjs in a child process, the rest in this process.
      const r = command === "train" ? snncSpawned(args) : await snnc(args);
      expect([r.code, r.stderr.trim(), r.stdout]).toEqual([2, "--time-parallel is CUDA only and cannot be used with --backend cpu", ""]);
    });

  // SNNC_NO_GPU=1: auto chooses the CPU on any machine.
  for (const [command, extra] of [["train", "--limit=8"], ["bench", "--no-peer"]])
    it(`is a usage error where --backend auto chose the CPU (${command})`, async () => {
      const r = await snnc([command, "models/tiny.json", "--time-parallel", extra], { SNNC_NO_GPU: "1" });
      expect([r.code, r.stderr.trim()]).toEqual([2, "--time-parallel is CUDA only, and --backend auto chose the CPU here; pass --backend cuda"]);
    });

  it("is in each command's help, marked CUDA only and unverified", async () => {
    for (const command of ["compile", "build", "inspect", "train", "bench"])
      expect((await snnc([command, "--help"])).stdout.replace(/\s+/g, " ")).toContain(
        "--time-parallel CUDA only, experimental: time-parallel input currents; not yet verified on a GPU",
      );
  });

  it("inspect shows the forward schedule of each LIF stage for the backend asked, with the flag honoured", async () => {
    const plain = await snnc(["inspect", "models/fmnist.json", "--backend", "cuda"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/Forward schedule of each LIF stage \(cuda backend\)\n.*\n.*\n  l1 +step-by-step +time-parallel currents are off for this plan\n/);
    expect(plain.stdout).not.toContain("currents_l1");
    const tp = await snnc(["inspect", "models/fmnist.json", "--backend", "cuda", "--time-parallel"]);
    expect(tp.code).toBe(0);
    expect(tp.stdout).toMatch(/\n  l1 +time-parallel +every step's currents first \(78 KiB per sample\), then one scan per neuron\n/);
    expect(tp.stdout).toMatch(/\n   1  forward_currents_l1 +per sample·step +input currents of l1/);
    expect(tp.stdout).toMatch(/\n    currents_l1 +f32 +5,068,800 +20,275,200 /);
  });

  it("inspect --emit shows a time-parallel stage's currents kernel, which the default plan does not have", async () => {
    const r = await snnc(["inspect", "models/fmnist.json", "--emit", "forward_currents_l1", "--backend", "cuda", "--time-parallel"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("forward_currents_l1(Buffers d) {");
    const plain = await snnc(["inspect", "models/fmnist.json", "--emit", "forward_currents_l1", "--backend", "cuda"]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^unknown kernel "forward_currents_l1": the kernels of fmnist are forward_lif_l1, /);
  });

  it("inspect --json carries the backend, the schedule and the currents buffers", async () => {
    const r = await snnc(["inspect", "models/shd-recurrent.json", "--backend", "cuda", "--time-parallel", "--json", "--batch", "2"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout).plan;
    expect(plan.backend).toBe("cuda");
    expect(plan.forward).toEqual([{ stage: "l1", forward: "step-by-step", why: "recurrent: the spikes of step t feed the currents of step t+1" }]);
    const fm = JSON.parse((await snnc(["inspect", "models/fmnist.json", "--backend", "cuda", "--time-parallel", "--json", "--batch", "2"])).stdout).plan;
    expect(fm.forward.map((f: { forward: string }) => f.forward)).toEqual(["time-parallel", "time-parallel"]);
    expect(fm.buffers.filter((b: { name: string }) => b.name.startsWith("currents_")).map((b: { count: number }) => b.count)).toEqual([2 * 99 * 200, 2 * 99 * 200]);
  });

  it("compile writes the time-parallel CUDA sources into their own folder", async () => {
    const out = join(tmp, "tp");
    const r = await snnc(["compile", "models/tiny.json", "--backend", "cuda", "--time-parallel", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, "kernels.cu"), "utf8")).toContain("SNNC_LAUNCH(forward_currents_l1, batch * (T - 1), l1::BLOCK, g_stream, d);");
    const plain = join(tmp, "plain");
    expect((await snnc(["compile", "models/tiny.json", "--backend", "cuda", "--out", plain])).code).toBe(0);
    expect(readFileSync(join(plain, "kernels.cu"), "utf8")).not.toContain("forward_currents_");
    expect(existsSync(join(out, "manifest.json"))).toBe(true);
  });
});
