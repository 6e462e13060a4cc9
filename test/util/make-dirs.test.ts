// makeDirs (compiler/util/make-dirs.ts): mkdir -p that neither hangs nor hides why it failed. Node's
// own `recursive: true` spins forever on /proc/<new>/… (`snnc train --out /proc/run` hung at 100%
// CPU, deaf to Ctrl-C and SIGTERM).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { environmentError } from "../../compiler/util/atomic-write.ts";
import { makeDirs } from "../../compiler/util/make-dirs.ts";

const tmp = mkdtempSync(join(tmpdir(), "snnc-make-dirs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const failure = (path: string) => {
  try {
    makeDirs(path);
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
  throw new Error(`makeDirs(${path}) did not fail`);
};

describe("makeDirs", () => {
  it("makes every missing folder, and is happy when they exist", () => {
    const deep = join(tmp, "a", "b", "c");
    makeDirs(deep);
    makeDirs(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it.skipIf(!existsSync("/proc/self"))("refuses a folder under /proc at once, naming it (no endless loop)", () => {
    const e = failure("/proc/snnc-run/deeper");
    expect(e.code).toBe("ENOFOLDER");
    expect(environmentError(e, "/proc/snnc-run/deeper/spec.json")?.message).toBe(
      "cannot create /proc/snnc-run: the folder above it takes no new folders (a pseudo file system such as /proc?)",
    );
  });

  it("refuses a dangling symbolic link and a file in the way", () => {
    const link = join(tmp, "dangling");
    symlinkSync(join(tmp, "nowhere", "x"), link);
    expect(environmentError(failure(join(link, "run")))?.message).toBe(`cannot create ${link}: it is a symbolic link to nothing`);
    const file = join(tmp, "file");
    writeFileSync(file, "x");
    expect(failure(join(file, "run")).code).toBe("ENOTDIR");
  });
});

describe.skipIf(!existsSync("/proc/self"))("snnc train --out under /proc", () => {
  it("ends at once with exit 1 and one sentence naming the folder", () => {
    const r = spawnSync(process.execPath, ["bin/snnc.mjs", "train", "models/tiny.json", "--backend", "cpu", "--epochs", "1", "--out", "/proc/snnc-run"], {
      encoding: "utf8",
      timeout: 120_000,
      killSignal: "SIGKILL",
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("cannot create /proc/snnc-run: the folder above it takes no new folders (a pseudo file system such as /proc?)");
  });
});
