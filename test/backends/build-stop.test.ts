// A stop asked for while snnc itself runs between build steps (Ctrl-C caught by `snnc train`'s
// handler while no compiler or cmake was there to die of it) ends the build at its next step as
// interrupted, instead of letting it run to the end and training a batch before stopping. Needs
// cmake and a C++ compiler; the build is stopped before anything of its own compiles.

import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { BuildInterruptedError, buildAddon } from "../../compiler/build/build-addon.ts";
import { findInBuild } from "../../compiler/build/find-in-build.ts";
import { writeGenerated } from "../../compiler/build/write-generated.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";

const ROOT = join(import.meta.dirname, "..", "..");
// Inside the repository, so cmake-js finds node-addon-api by module resolution.
const OUT = join(ROOT, "generated", `test-build-stop-${process.pid}`);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

function emitTiny(dir: string): void {
  const plan = buildPlan(lowerSpec(loadSpecOrThrow(join(ROOT, "models", "tiny.json")).spec));
  writeGenerated(dir, emitBackend(plan, "cpu", "models/tiny.json"));
}

describe("a stop asked for between build steps", () => {
  it("that is already asked ends the build before it configures", async () => {
    const dir = join(OUT, "before");
    emitTiny(dir);
    const lines: string[] = [];
    const build = buildAddon(dir, { stopRequested: () => "SIGTERM", onLine: (l) => lines.push(l) });
    await expect(build).rejects.toThrow(BuildInterruptedError);
    await expect(build).rejects.toThrow(/interrupted \(SIGTERM\) before it finished/);
    expect(existsSync(join(dir, "build", "CMakeCache.txt"))).toBe(false);
  });

  it("by a signal caught while the build's output is handled ends it before the compile, with 128 + the signal", async () => {
    const dir = join(OUT, "signal");
    emitTiny(dir);
    // What `snnc train`'s handler does: a listener sets the flag. The signal is sent from inside
    // the build's synchronous handling of configure's lines, so its listener can run only once
    // the build yields to the event loop; a build that only read the flag would see it unset and
    // compile on.
    let caught: NodeJS.Signals | null = null;
    const listener = () => {
      caught = "SIGINT";
    };
    process.on("SIGUSR2", listener);
    let sent = false;
    try {
      const build = buildAddon(dir, {
        stopRequested: () => caught,
        onLine: () => {
          if (!sent) process.kill(process.pid, "SIGUSR2");
          sent = true;
        },
      });
      const err = await build.then(
        () => null,
        (e: unknown) => e,
      );
      expect(sent, "configure printed lines").toBe(true);
      expect(err).toBeInstanceOf(BuildInterruptedError);
      expect((err as BuildInterruptedError).exitCode).toBe(130);
      expect((err as Error).message).toContain(dir);
    } finally {
      process.off("SIGUSR2", listener);
    }
    // Never compiled: no object, no addon, no stamp that would vouch for one. (The signal comes
    // with the first line the build reports: configure's, or in a fresh checkout the shared Node
    // binding's, built before this folder is configured.)
    expect(findInBuild(join(dir, "build"), ["kernels.cpp.o"], true)).toBeNull();
    expect(findInBuild(join(dir, "build"), ["snnc_tiny.node"])).toBeNull();
    expect(existsSync(join(dir, "build", "snnc-build-stamp"))).toBe(false);
  });
});
