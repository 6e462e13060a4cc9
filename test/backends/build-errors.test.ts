// A bad build must reach the user: the compiler's message with file:line, as a BuildError (exit 1
// through the CLI), never a silent failure or a stack trace. Needs cmake and a C++ compiler.

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { TEMPLATE_ROOT } from "../../compiler/backends/render.ts";
import { BuildError, buildAddon } from "../../compiler/build/build-addon.ts";
import { writeGenerated } from "../../compiler/build/write-generated.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";

const ROOT = join(import.meta.dirname, "..", "..");
// Inside the repository, so cmake-js finds node-addon-api by module resolution.
const OUT = join(ROOT, "generated", "test-bad-build");
const tmp = mkdtempSync(join(tmpdir(), "snnc-bad-build-"));
afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

function snnc(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "snnc.mjs"), ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

describe("a template that emits invalid C++", () => {
  it("fails the build with a BuildError naming kernels.cpp:<line> and the compiler's error", async () => {
    const root = join(tmp, "templates");
    cpSync(TEMPLATE_ROOT, root, { recursive: true });
    const template = join(root, "cpu", "kernels.cpp.hbs");
    const lines = readFileSync(template, "utf8").split("\n");
    const at = lines.findIndex((l) => l.startsWith("// kernels.cpp:"));
    expect(at).toBeGreaterThan(0);
    lines[at] = "int x = ;";
    writeFileSync(template, lines.join("\n"));

    const plan = buildPlan(lowerSpec(loadSpecOrThrow(join(ROOT, "models", "tiny.json")).spec));
    const files = emitBackend(plan, "cpu", "models/tiny.json", root);
    const kernels = files.find((f) => f.path === "kernels.cpp")!.content.split("\n");
    const badLine = kernels.indexOf("int x = ;") + 1;
    expect(badLine).toBeGreaterThan(1);
    const dir = join(OUT, "cpu");
    rmSync(OUT, { recursive: true, force: true });
    writeGenerated(dir, files);

    let caught: unknown;
    try {
      await buildAddon(dir);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BuildError);
    const message = (caught as BuildError).message;
    expect(message).toMatch(/^build failed:\n/);
    expect(message).toContain(`kernels.cpp:${badLine}:`);
    expect(message).toMatch(new RegExp(`kernels\\.cpp:${badLine}:\\d+: error`));
    // The full log is kept for --verbose; the message itself is short.
    expect((caught as BuildError).log.length).toBeGreaterThan(message.length);
    expect(message.split("\n").length).toBeLessThanOrEqual(40);
  });
});

describe("snnc build reports user errors without a stack trace", () => {
  it("a missing spec file: one sentence, exit 2", () => {
    const r = snnc("build", "models/no-such-model.json");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("models/no-such-model.json: /: cannot read the spec: no such file\n");
  });

  it("an invalid spec: every problem on its own line, exit 2", () => {
    const spec = JSON.parse(readFileSync(join(ROOT, "models", "tiny.json"), "utf8"));
    spec.time.steps = 1;
    spec.neuron.b_th = -1;
    const file = join(tmp, "broken.json");
    writeFileSync(file, JSON.stringify(spec, null, 2));
    const r = snnc("build", file);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.startsWith(`${file}: /`)).toBe(true);
    expect(r.stderr).toContain(`${file}: /time/steps: `);
    expect(r.stderr).toContain(`${file}: /neuron/b_th: `);
    expect(r.all).not.toContain("    at ");
  });

  it("a layer the backend cannot generate: one sentence naming the file and layer, exit 1", () => {
    // A dense layer above the CUDA backend's register limit (4096 neurons).
    const spec = JSON.parse(readFileSync(join(ROOT, "models", "fmnist.json"), "utf8"));
    spec.layers[1].size = 5000;
    delete spec.$schema;
    const file = join(tmp, "wide.json");
    writeFileSync(file, JSON.stringify(spec));
    const r = snnc("build", file, "--backend", "cuda");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${file}: /layers/1: 5000 neurons exceed the CUDA backend's limit of 4096 per layer (a layer's state lives in registers); use --backend cpu\n`);
    expect(r.all).not.toContain("    at ");
  });

  it("a C++ compiler error: the compiler's file:line reaches the user, exit 1", () => {
    // `snnc build` takes no template root, so the invalid C++ comes in through --cpu-flags: a header
    // force-included into every source. A genuine compiler error through the real command.
    const bad = join(tmp, "bad-include.h");
    writeFileSync(bad, "// an invalid line for the test\nint x = ;\n");
    const out = join(OUT, "cli");
    const r = snnc("build", "models/tiny.json", "--out", out, "--cpu-flags", `-include ${bad}`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("compiled tiny for cpu into");
    expect(r.stderr).toMatch(/^build failed:\n/);
    expect(r.stderr).toContain(`${bad}:2:9: error`);
    expect(r.all).not.toContain("    at ");
    expect(r.all).not.toContain("internal error");
  });
});
