// The `snnc` command end to end: spawned as users run it (node bin/snnc.mjs …), checking output,
// exit codes, and that no user error ever shows a stack trace.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "snnc.mjs");
const tmp = mkdtempSync(join(tmpdir(), "snnc-cli-"));
const GEN = join(ROOT, "generated", "test-cli");
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(GEN, { recursive: true, force: true });
});

function snnc(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, SNNC_DEBUG: "", ...opts.env },
  });
  const out = { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
  // Whatever happened, no stack trace reaches the user.
  expect(out.all).not.toContain("    at ");
  return out;
}

const models = readdirSync(join(ROOT, "models")).filter((f) => f.endsWith(".json")).sort();

describe("snnc validate", () => {
  it("accepts every shipped model with one ok line each, exit 0", () => {
    const r = snnc(["validate", ...models.map((m) => `models/${m}`)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(models.length);
    models.forEach((m, k) => expect(lines[k].startsWith(`ok  models/${m} (`)).toBe(true));
    expect(lines).toContain("ok  models/fmnist.json (fmnist: 784 → 200 → 200 → 10, T=100)");
    expect(lines).toContain("ok  models/shd.json (shd: 700 → 200 → 200 → 20, T=500)");
    expect(lines).toContain("ok  models/fmnist-conv.json (fmnist-conv: 1×28×28 → conv 64×28×28 → pool 64×14×14 → 12544 → 10, T=100)");
  });

  it("prints every problem of every bad file as file: pointer: message, exit 2", () => {
    const spec = JSON.parse(readFileSync(join(ROOT, "models", "tiny.json"), "utf8"));
    spec.time.steps = 1;
    spec.neuron.b_th = 0;
    spec.layers[0] = { kind: "dense", sise: 8 };
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, JSON.stringify(spec, null, 2));
    const syntax = join(tmp, "syntax.json");
    writeFileSync(syntax, '{"name": "x",\n  "time": }');

    const r = snnc(["validate", bad, "models/tiny.json", syntax]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("ok  models/tiny.json (tiny: 12 → 8 → 6 → 3, T=16)\n");
    expect(r.stderr.split("\n")).toEqual([
      `${bad}: /time/steps: must be >= 2, got 1`,
      `${bad}: /neuron/b_th: must be > 0, got 0`,
      `${bad}: /layers/0: missing required field "size"`,
      `${bad}: /layers/0/sise: unknown field "sise" (did you mean "size"?)`,
      `${syntax}: /: invalid JSON at line 2, column 11: expected a value, got "}"`,
      "",
    ]);
  });

  it("reports a missing file in one sentence, exit 2", () => {
    const r = snnc(["validate", "models/nope.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("models/nope.json: /: cannot read the spec: no such file\n");
  });

  it("works from another working directory", () => {
    const r = snnc(["validate", join(ROOT, "models", "tiny.json")], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok  ${join(ROOT, "models", "tiny.json")} (tiny: 12 → 8 → 6 → 3, T=16)\n`);
  });
});

describe("snnc inspect", () => {
  it("shows the resolved constants, the kernel plan and the memory totals of fmnist", () => {
    const r = snnc(["inspect", "models/fmnist.json"]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain("0.904837418"); // α, 9 significant digits
    expect(out).toContain("1 − α = 0.095162582"); // readout input scale
    expect(out).toContain("0.0679732714"); // w1's init σ = 1.9032516/√784
    expect(out).toMatch(/l1 +dense LIF +\[784\] +→ +\[200\] +w1 \[784, 200\] +156,800/);
    // launch order
    const order = ["forward_lif_l1", "forward_lif_l2", "forward_readout_l3", "loss", "backward_sparse_l3", "backward_sparse_l2", "backward_sparse_l1", "adam_w1"];
    const at = order.map((k) => out.search(new RegExp(`^ +\\d+  ${k} `, "m")));
    expect(at.every((x) => x > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // memory: every buffer at batch 256, and the totals of both paths
    expect(out).toContain("Memory plan at batch 256");
    expect(out).toMatch(/vtrace_l1 +f32 +5,120,000 +20,480,000/);
    expect(out).toMatch(/sparse training path +12\.1 MiB +12,721,500 +6\.1 MiB +6,350,848/);
    expect(out).toMatch(/dense training path +84\.2 MiB +88,290,652 +78\.1 MiB +81,920,000/);
    expect(out).toContain("92.2% less backward-only memory");
  });

  it("sizes the memory plan for --batch", () => {
    const r = snnc(["inspect", "models/fmnist.json", "--batch", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Memory plan at batch 1");
    expect(r.stdout).toMatch(/vtrace_l1 +f32 +20,000 +80,000/);
  });

  it("prints one JSON object with --json", () => {
    const r = snnc(["inspect", "models/fmnist.json", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(["network", "plan", "memory"]);
    expect(j.network.name).toBe("fmnist");
    expect(j.network.layers[0].neuron.alpha).toBe(Math.exp(-0.1));
    expect(j.plan.steps.sparse.slice(0, 5)).toEqual(["forward_lif_l1", "forward_lif_l2", "forward_readout_l3", "loss", "backward_sparse_l3"]);
    expect(j.plan.kernels).toHaveLength(13);
    expect(j.plan.buffers.find((b: { name: string }) => b.name === "w1").bytes).toBe(627200);
    expect(j.memory.dense.backwardOnly).toBe(81920000);
    expect(j.memory.backwardSaving).toBeGreaterThan(0.85);
  });

  it("shows the conv model's plan with its pool stage; --emit on CUDA shows its conv kernels", () => {
    const r = snnc(["inspect", "models/fmnist-conv.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/l1 +conv LIF 3×3 s1 p1 +\[1, 28, 28\] +→ +\[64, 28, 28\]/);
    expect(r.stdout).toMatch(/2 +forward_maxpool_l2 /);
    expect(r.stdout).toMatch(/6 +backward_sparse_maxpool_l2 /);
    const j = JSON.parse(snnc(["inspect", "models/fmnist-conv.json", "--json"]).stdout);
    expect(j.plan.steps.sparse).toContain("forward_maxpool_l2");
    const cuda = snnc(["inspect", "models/fmnist-conv.json", "--emit", "--backend", "cuda"]);
    expect(cuda.code).toBe(0);
    expect(cuda.stdout).toContain("__global__ void __launch_bounds__(l1::BLOCK, 1) forward_lif_l1(");
    expect(cuda.stdout).toContain("forward_maxpool_l2(Buffers d, bool record_active)");
  });

  it("prints one kernel's source with --emit <kernel>", () => {
    const r = snnc(["inspect", "models/fmnist.json", "--emit", "forward_lif_l1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/\/ kernels\.cpp, lines \d+–\d+\n\/\/ forward_lif_l1: /);
    expect(r.stdout).toContain("void forward_lif_l1(const Buffers& d");
    expect(r.stdout).toContain("using namespace l1;");
    expect(r.stdout.trimEnd().endsWith("}")).toBe(true);
    expect(r.stdout).not.toContain("void forward_lif_l2(");
  });

  it("prints every emitted file with --emit", () => {
    const r = snnc(["inspect", "models/tiny.json", "--emit"]);
    expect(r.code).toBe(0);
    const heads = r.stdout.split("\n").filter((l) => l.startsWith("==> "));
    expect(heads).toEqual(
      ["network.h", "network-api.h", "network-api.cpp", "addon.cpp", "kernels.cpp", "CMakeLists.txt", "model.ts", "package.json", "manifest.json"].map(
        (f) => `==> ${f} <==`,
      ),
    );
  });

  it("names the kernels when --emit gets an unknown one, exit 2", () => {
    const r = snnc(["inspect", "models/tiny.json", "--emit", "forward_lif_l9"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      'unknown kernel "forward_lif_l9": the kernels of tiny are forward_lif_l1, forward_lif_l2, forward_readout_l3, loss, ' +
        "backward_sparse_l3, backward_sparse_l2, backward_sparse_l1, backward_dense_l3, backward_dense_l2, backward_dense_l1, " +
        "adam_w1, adam_w2, adam_w3\n",
    );
  });

  it("rejects a bad --batch or --backend as a usage error, exit 2", () => {
    const a = snnc(["inspect", "models/tiny.json", "--batch", "0"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("expected a positive integer");
    const b = snnc(["inspect", "models/tiny.json", "--emit", "--backend", "tpu"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("Allowed choices are cpu, cuda");
  });
});

describe("snnc compile", () => {
  it("writes the emitted files into --out and reports which changed", () => {
    const out = join(GEN, "tiny-cpu");
    const first = snnc(["compile", "models/tiny.json", "--out", out]);
    expect(first.code).toBe(0);
    const files = ["network.h", "network-api.h", "network-api.cpp", "addon.cpp", "kernels.cpp", "CMakeLists.txt", "model.ts", "package.json", "manifest.json"];
    for (const f of files) {
      expect(existsSync(join(out, f))).toBe(true);
      expect(first.stdout).toContain(`  written    ${f}\n`);
    }
    expect(first.stdout).toContain("compiled tiny for cpu into generated/test-cli/tiny-cpu/ (9 written, 0 unchanged)");
    // The banner names the spec by its name and hash: no file name or folder it was read from.
    expect(readFileSync(join(out, "kernels.cpp"), "utf8")).toMatch(/^\/\/ Generated by snnc from the spec "tiny" \(hash [0-9a-f]{16}\)/);

    const again = snnc(["compile", "models/tiny.json", "--out", out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("(0 written, 9 unchanged)");
    // From another directory (a cwd-relative path like ../x/models/tiny.json): still nothing to rewrite.
    const elsewhere = snnc(["compile", join(ROOT, "models", "tiny.json"), "--out", out], { cwd: tmp });
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toContain("(0 written, 9 unchanged)");
  });

  it("refuses a spec the backend cannot generate in one sentence, exit 1", () => {
    // A dense layer above the CUDA backend's register limit (4096 neurons).
    const spec = JSON.parse(readFileSync(join(ROOT, "models", "fmnist.json"), "utf8"));
    spec.layers[0].size = 5000;
    delete spec.$schema;
    const file = join(tmp, "wide.json");
    writeFileSync(file, JSON.stringify(spec));
    const r = snnc(["compile", file, "--backend", "cuda", "--out", join(GEN, "wide")]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/: \/layers\/0: 5000 neurons exceed the CUDA backend's limit of 4096 per layer \(a layer's state lives in registers\); use --backend cpu$/m);
    expect(existsSync(join(GEN, "wide"))).toBe(false);
  });
});

describe("the program", () => {
  it("exits 2 on an unknown command with commander's message", () => {
    const r = snnc(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'frobnicate'");
  });

  it("exits 2 on an unknown option", () => {
    const r = snnc(["validate", "--frob", "models/tiny.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--frob'");
  });

  it("prints the package version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const r = snnc(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("lists only the registered commands in --help, exit 0", () => {
    const r = snnc(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["validate", "inspect", "compile", "build"]) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
  });
});
