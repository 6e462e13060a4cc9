// `snnc inspect` and `snnc validate` on the sum-pool model, spawned as users run them: the sum-pool
// rows in the layer table, the pooled input in the emitted kernel (CPU and CUDA).

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "snnc.mjs");

function snnc(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("snnc on models/nmnist-conv.json", () => {
  it("validate prints the summary with the sum-pools", () => {
    const r = snnc(["validate", "models/nmnist-conv.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      "ok  models/nmnist-conv.json (nmnist-conv: 2×34×34 → conv 16×16×16 → conv 16×16×16 → sum-pool 16×8×8 → conv 8×8×8 → sum-pool 8×4×4 → 128 → 256 → 10, T=300)",
    );
  });

  it("inspect lists the sum-pools as layers without weights or kernels", () => {
    const r = snnc(["inspect", "models/nmnist-conv.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n  l3 +sumpool 2 \(spike counts\) +\[16, 16, 16\] +→ +\[16, 8, 8\] *\n/);
    expect(r.stdout).toMatch(/\n  l5 +sumpool 2 \(spike counts\) +\[8, 8, 8\] +→ +\[8, 4, 4\] *\n/);
    expect(r.stdout).not.toMatch(/_l3\b|_l5\b/);
  });

  it("inspect --emit shows the conv above a sum-pool reading the spikes below through the window map", () => {
    const r = snnc(["inspect", "models/nmnist-conv.json", "--emit", "forward_lif_l4"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("inputs_l4(d, b, t, [&](uint32_t i) {");
    const all = snnc(["inspect", "models/nmnist-conv.json", "--emit"]).stdout;
    expect(all).toContain("inline int pooled_l4(uint32_t i) {");
    expect(all).toContain("if (p >= 0) p = l3::pool_index(p);");
    expect(all).toContain("// l3: sum-pool 2×2 (stride 2), 16×16×16 → 16×8×8: the pooled value is");
  });

  it("inspect --emit --backend cuda shows the conv above a sum-pool reading through the window map", () => {
    const r = snnc(["inspect", "models/nmnist-conv.json", "--emit", "forward_lif_l4", "--backend", "cuda"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("const PooledInput<SpikeInput<l2::WORDS>, PoolMap_l4> in{");
    expect(r.stdout).toContain("using Map = PoolMap_l4;");
  });
});
