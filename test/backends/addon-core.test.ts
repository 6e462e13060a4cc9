// The Node binding every addon shares (templates/shared/addon.cpp, compiler/build/addon-core.ts):
// compiled once per machine and compiler, linked into every CPU and emulated CUDA build. These
// tests read what the builds did (compile_commands.json, the configure cache) rather than trust
// the build's log, and check that a build without the shared object (SNNC_NO_SHARED_BINDING=1, as
// cmake-js run by hand) compiles addon.cpp itself and computes the same bits.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { addonCoreObject, ensureAddonCore } from "../../compiler/build/addon-core.ts";
import { buildModel } from "../support/build-model.ts";
import { snncHere } from "../support/cli-here.ts";
import { randomSpec } from "../support/random-spec.ts";
import { EMULATION } from "./emulated-cuda.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "snnc-binding-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function buildDirOf(addonPath: string): string {
  let dir = dirname(addonPath);
  while (basename(dir) !== "build") dir = dirname(dir);
  return dir;
}

/** The sources the build compiled (compile_commands.json), by file name. */
function compiled(addonPath: string): string[] {
  const commands = JSON.parse(readFileSync(join(buildDirOf(addonPath), "compile_commands.json"), "utf8")) as { file: string }[];
  return commands.map((c) => basename(c.file)).sort();
}

function configuredCore(addonPath: string): string | null {
  const cache = readFileSync(join(buildDirOf(addonPath), "CMakeCache.txt"), "utf8");
  return /^SNNC_ADDON_CORE:\w+=(.*)$/m.exec(cache)?.[1] ?? null;
}

function digest(specFile: string, addonPath: string): { digest: string; spikes: number } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "test/support/forward-digest.ts", specFile, addonPath, "6", "2"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

describe("the Node binding every addon shares", () => {
  it("is compiled once: two networks' CPU builds link the same object and compile only their own files", async () => {
    const core = addonCoreObject();
    expect(core).not.toBeNull();
    for (const spec of [randomSpec(2), "models/tiny.json"]) {
      const { addonPath } = await buildModel(spec, "cpu");
      expect(compiled(addonPath)).toEqual(["kernels.cpp", "network-api.cpp"]);
      expect(configuredCore(addonPath)).toBe(core);
    }
    expect(existsSync(core!)).toBe(true);
  }, 300_000);

  it.runIf(EMULATION.ok)("the emulated CUDA build links the same object", async () => {
    const { addonPath } = await buildModel(randomSpec(1), "cuda", { emulated: true });
    expect(compiled(addonPath)).toEqual(["kernels.cu", "network-api.cpp"]);
    expect(configuredCore(addonPath)).toBe(addonCoreObject());
  }, 300_000);

  it("an empty object (a full disk) is compiled again, and the new one is a whole ELF object", async () => {
    const object = join(tmp, "core", "empty.o");
    mkdirSync(dirname(object), { recursive: true });
    writeFileSync(object, "");
    const lines: string[] = [];
    expect(await ensureAddonCore(object, (l) => lines.push(l))).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^compiling the Node binding \(addon\.cpp\) shared by every model/)]);
    const bytes = readFileSync(object);
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    expect(readdirSync(dirname(object)).filter((f) => f !== ".lock")).toEqual(["empty.o"]); // no build folder or temporary left
  }, 300_000);

  it("where it cannot be made, says so in one line and lets the build compile addon.cpp itself", async () => {
    const lines: string[] = [];
    expect(await ensureAddonCore("/proc/snnc-core/x.o", (l) => lines.push(l))).toBe(false);
    expect(lines).toEqual([expect.stringMatching(/^could not compile the shared Node binding \(this build compiles addon\.cpp itself\): \S/)]);
  });

  it("is keyed by the compiler and its flags, and off with SNNC_NO_SHARED_BINDING", () => {
    const base = addonCoreObject({});
    expect(base).toMatch(/\/generated\/\.addon-core\/[0-9a-f]{16}\.o$/);
    expect(addonCoreObject({ CXXFLAGS: "-fno-omit-frame-pointer" })).not.toBe(base);
    expect(addonCoreObject({ CXX: "g++" })).not.toBe(base);
    expect(addonCoreObject({ SNNC_NO_SHARED_BINDING: "1" })).toBeNull();
  });

  it("a build without it compiles addon.cpp itself, and its addon computes the same bits", async () => {
    const spec = randomSpec(2);
    const specFile = join(tmp, "spec.json");
    writeFileSync(specFile, JSON.stringify(spec));
    const out = join(tmp, "own-binding");
    const run = await snncHere(["build", specFile, "--out", out], { SNNC_NO_SHARED_BINDING: "1" });
    expect(run.code, run.stderr).toBe(0);
    const own = join(out, "build", "Release", `snnc_${spec.name.replace(/-/g, "_")}.node`);
    expect(compiled(own)).toEqual(["addon.cpp", "kernels.cpp", "network-api.cpp"]);
    expect(configuredCore(own)).toBeNull();

    const { addonPath: shared } = await buildModel(spec, "cpu");
    expect(configuredCore(shared)).not.toBeNull();
    const a = digest(specFile, own);
    expect(a.spikes, "the batches made spikes").toBeGreaterThan(0);
    expect(digest(specFile, shared)).toEqual(a);
  }, 300_000);
});
