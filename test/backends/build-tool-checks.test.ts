// Before it builds, snnc checks that cmake and the compiler run (`<tool> --version`). A tool that
// is missing or fails is a BuildError naming it; a check stopped by a signal (Ctrl-C reaches the
// whole process group, and may land while the check runs) is an interrupted build, exit 130,
// never "cmake is not installed". Fake tools on PATH stand in for both.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BuildError, BuildInterruptedError, buildAddon } from "../../compiler/build/build-addon.ts";
import { compileSpec } from "../../compiler/pipeline.ts";

const root = mkdtempSync(join(tmpdir(), "snnc-tool-checks-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** buildAddon on an emitted tiny with only `bin` (holding a fake cmake) ahead of the usual PATH. */
async function buildWithCmake(script: string): Promise<unknown> {
  const bin = mkdtempSync(join(root, "bin-"));
  writeFileSync(join(bin, "cmake"), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, "cmake"), 0o755);
  const { dir } = compileSpec("models/tiny.json", "cpu", join(bin, "tiny-cpu"));
  const saved = process.env.PATH;
  process.env.PATH = `${bin}:${saved}`;
  try {
    await buildAddon(dir, { force: true });
    return null;
  } catch (e) {
    return e;
  } finally {
    process.env.PATH = saved;
  }
}

describe("the tool checks before a build", () => {
  it("a cmake that fails: a BuildError that says cmake is not installed", async () => {
    const e = await buildWithCmake("exit 1");
    expect(e).toBeInstanceOf(BuildError);
    expect((e as Error).message).toMatch(/^cmake is not installed/);
  });

  it("a cmake check stopped by SIGINT: the build was interrupted, exit 130", async () => {
    const e = await buildWithCmake("kill -INT $$");
    expect(e).toBeInstanceOf(BuildInterruptedError);
    expect((e as BuildInterruptedError).exitCode).toBe(130);
    expect((e as Error).message).toMatch(/was interrupted \(SIGINT\) before it finished/);
  });
});
