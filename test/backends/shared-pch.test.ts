// The precompiled headers every addon build shares (compiler/build/shared-pch.ts). GCC skips a
// .gch that does not match silently, so a broken key would only make builds slow: these tests ask
// the compiler itself (-H prints "! <file>.gch" for a precompiled header it used) whether the
// translation units of a real build take theirs.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { pchDefines, pchDir, shellWords } from "../../compiler/build/shared-pch.ts";
import { buildModel } from "../support/build-model.ts";
import { randomSpec } from "../support/random-spec.ts";
import { EMULATION } from "./emulated-cuda.ts";

/** The precompiled header the compiler used for `file` of the build holding `addonPath` (run as the
 *  build ran it but with -H and without writing an object), or what it printed first. -H lists the
 *  .gch files it tried before the first header it read: "x" invalid for these flags, "!" used. */
function precompiledHeaderUsed(addonPath: string, file: string): string {
  let dir = dirname(addonPath);
  while (!dir.endsWith("/build")) dir = dirname(dir);
  const commands = JSON.parse(readFileSync(join(dir, "compile_commands.json"), "utf8")) as { directory: string; command: string; file: string }[];
  const c = commands.find((x) => x.file.endsWith(`/${file}`));
  expect(c, `${file} in compile_commands.json`).toBeDefined();
  const args = shellWords(c!.command);
  const o = args.indexOf("-o");
  args.splice(o, 2);
  const r = spawnSync(args[0], [...args.slice(1), "-H", "-fsyntax-only"], { cwd: c!.directory, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stderr.split("\n");
  const tried = lines.slice(0, Math.max(1, lines.findIndex((l) => !/^[x!] /.test(l))));
  return tried.find((l) => l.startsWith("! ")) ?? lines[0];
}

describe("shared precompiled headers", () => {
  it("split compile_commands.json's commands as the shell does", () => {
    expect(shellWords(`/usr/bin/c++ -DA="x y" -I'/a b' -o out.o -c "/src/k.cpp" a\\ b`)).toEqual([
      "/usr/bin/c++",
      "-DA=x y",
      "-I/a b",
      "-o",
      "out.o",
      "-c",
      "/src/k.cpp",
      "a b",
    ]);
  });

  it("are off with SNNC_NO_PCH, and where their folder cannot be written", () => {
    expect(pchDir({ SNNC_NO_PCH: "1" })).toBeNull();
    expect(pchDefines(null)).toEqual({});
    expect(pchDefines("/proc/snnc-pch")).toEqual({});
  });

  it("the CPU backend's kernels.cpp reads its standard and intrinsics headers precompiled", async () => {
    const { addonPath } = await buildModel(randomSpec(2), "cpu");
    expect(precompiledHeaderUsed(addonPath, "kernels.cpp")).toMatch(/^! .*\/snnc-cpu-kernels\.h\.gch\/[0-9a-f]{16}\.gch$/);
  });

  it.runIf(EMULATION.ok)("the emulated CUDA build's kernels.cu reads HIP-CPU precompiled", async () => {
    const { addonPath } = await buildModel(randomSpec(1), "cuda", { emulated: true });
    expect(precompiledHeaderUsed(addonPath, "kernels.cu")).toMatch(/^! .*\/snnc-hip-cpu\.h\.gch\/[0-9a-f]{16}\.gch$/);
  });
});
