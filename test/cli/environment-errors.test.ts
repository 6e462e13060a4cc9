// Errors of the environment, not of snnc (issue 13, item 1): a read-only disk, a full disk, a path
// under a file, a file where a folder should be. Each is one sentence naming the path, exit 1, no
// stack and nothing half-written. Runs as root here, so "read-only" is a real read-only tmpfs mount
// where `mount` works (skipped elsewhere); ENOSPC is both a real 64 KiB tmpfs and an injected errno.

import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileSystemError, setWriteBytesForTest, writeFileAtomic } from "../../compiler/util/atomic-write.ts";
import { describeError } from "../../runtime/cli/fail.ts";
import { appendMetrics } from "../../runtime/train/run-dir.ts";
import { openCpu, TINY } from "../train/support.ts";
import { snncHere } from "../support/cli-here.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "snnc-env-"));
const RO = join(tmp, "ro");
const FULL = join(tmp, "full");
const mount = (...args: string[]) => spawnSync("mount", args, { encoding: "utf8" }).status === 0;
let mounted = false;

beforeAll(async () => {
  await openCpu(TINY); // the CLI runs below find the kernels up to date
  mkdirSync(RO);
  mkdirSync(FULL);
  mounted = mount("-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", RO) && mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", FULL);
});
afterAll(() => {
  for (const dir of [RO, FULL]) spawnSync("umount", [dir]);
  rmSync(tmp, { recursive: true, force: true });
});

function snnc(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "snnc.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SNNC_DEBUG: "" } });
  expect(r.stderr).not.toContain("    at ");
  expect(r.stderr).not.toContain("internal error");
  return r;
}

/** The same run inside this process (test/support/cli-here.ts): these cases call the CLI a dozen
 *  times, and the spawned calls above keep the real path covered. */
async function here(...args: string[]) {
  const r = await snncHere(args);
  expect(r.stderr).not.toContain("    at ");
  expect(r.stderr).not.toContain("internal error");
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

describe("writeFileAtomic on a full disk", () => {
  it("names the file, leaves no temporary file and no partial target (injected ENOSPC)", () => {
    const dir = join(tmp, "inject");
    const path = join(dir, "last.safetensors");
    const prev = setWriteBytesForTest(() => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
    });
    try {
      expect(() => writeFileAtomic(path, "x".repeat(1000))).toThrow(new FileSystemError(`cannot write ${path}: no space left on the device`, path, "ENOSPC"));
    } finally {
      setWriteBytesForTest(prev);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a real full tmpfs: the same sentence, nothing left behind", (ctx) => {
    if (!mounted) ctx.skip();
    const path = join(FULL, "big.bin");
    expect(() => writeFileAtomic(path, new Uint8Array(256 * 1024))).toThrow(`cannot write ${path}: no space left on the device`);
    expect(readdirSync(FULL)).toEqual([]);
  });
});

describe("metrics.jsonl on a full disk", () => {
  it("keeps only whole lines: a half-appended record is cut off again", (ctx) => {
    if (!mounted) ctx.skip();
    const dir = join(FULL, "metrics");
    mkdirSync(dir);
    const first = { type: "batch", epoch: 1, batch: 1, batches: 2, loss: 1, accuracy: 0.5 } as const;
    appendMetrics(dir, first);
    const before = readFileSync(join(dir, "metrics.jsonl"), "utf8");
    // Fill the disk, leaving a little room: less than the next record needs.
    const free = statfsSync(FULL);
    writeFileSync(join(FULL, "filler"), new Uint8Array(free.bavail * free.bsize - 100));
    const huge = { ...first, loss: 2, pad: "x".repeat(8192) } as unknown as typeof first;
    expect(() => appendMetrics(dir, huge)).toThrow(`cannot write ${join(dir, "metrics.jsonl")}: no space left on the device`);
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8")).toBe(before);
    rmSync(join(FULL, "filler"));
    rmSync(dir, { recursive: true });
  });
});

describe("the CLI reports environment errors as user errors, exit 1", () => {
  it("describeError turns a raw errno error with a path into one sentence", async () => {
    const err = Object.assign(new Error("EROFS: read-only file system, open '/x/run.json'"), { code: "EROFS", path: "/x/run.json" });
    expect(await describeError(err)).toEqual({ exitCode: 1, lines: ["cannot write /x/run.json: the file system is read-only"] });
    // Reads name what failed too: a data folder without permission is no write error.
    const read = Object.assign(new Error("EACCES: permission denied, scandir '/data'"), { code: "EACCES", syscall: "scandir", path: "/data" });
    expect(await describeError(read)).toEqual({ exitCode: 1, lines: ["cannot read /data: permission denied"] });
  });

  it("train --out under a regular file (ENOTDIR)", () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "");
    const r = snnc("train", TINY, "--backend", "cpu", "--epochs", "1", "--limit", "8", "--progress", "none", "--out", join(file, "run"));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`cannot write ${join(file, "run", "run.json")}: ${file} is a file, not a folder\n`);
  });

  it("compile --out that is a file (EEXIST)", () => {
    const file = join(tmp, "another-file");
    writeFileSync(file, "");
    const r = snnc("compile", TINY, "--backend", "cpu", "--out", file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^cannot write ${file}/[a-zA-Z.]+: ${file} is a file, not a folder\\n$`));
  });

  it("train --out on a read-only mount (EROFS)", (ctx) => {
    if (!mounted) ctx.skip();
    const r = snnc("train", TINY, "--backend", "cpu", "--epochs", "1", "--limit", "8", "--progress", "none", "--out", RO);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`cannot write ${join(RO, "run.json")}: the file system is read-only\n`);
  });

  it("report into a run directory on a read-only mount (EROFS)", (ctx) => {
    if (!mounted) ctx.skip();
    const dir = join(tmp, "ro-run");
    mkdirSync(dir);
    expect(mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", dir)).toBe(true);
    try {
      writeFileSync(join(dir, "metrics.jsonl"), "");
      expect(mount("-o", "remount,ro", dir)).toBe(true);
      const r = snnc("report", dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`cannot write ${join(dir, "report.html")}: the file system is read-only\n`);
    } finally {
      spawnSync("umount", [dir]);
    }
  });

  // Issue 26, item 6: paths that refuse a write without being read-only mounts.
  describe("an --out that is a symbolic link to nothing, or under /proc", () => {
    const tiny = ["--backend", "cpu", "--epochs", "1", "--limit", "8", "--progress", "none"];
    const NIR = "test/nir/fixtures/lif2-snntorch.nir";

    it("a dangling link as the file: import and export refuse it, and leave the link alone", async () => {
      const spec = join(tmp, "dangling.json");
      const nir = join(tmp, "dangling.nir");
      symlinkSync(join(tmp, "gone.json"), spec);
      symlinkSync(join(tmp, "gone.nir"), nir);
      let r = await here("import", NIR, "--dt-ms", "1", "--out", spec);
      expect(r.stderr).toBe(`cannot write ${spec}: it is a symbolic link to nothing\n`);
      expect(r.status).toBe(1);
      r = await here("export", TINY, "--out", nir);
      expect(r.stderr).toBe(`cannot write ${nir}: it is a symbolic link to nothing\n`);
      expect(r.status).toBe(1);
      expect(lstatSync(spec).isSymbolicLink() && lstatSync(nir).isSymbolicLink()).toBe(true);
      expect(existsSync(join(tmp, "dangling.safetensors"))).toBe(false);
    });

    it("a folder as the file (export --out .): refused before anything is written", async () => {
      const dir = join(tmp, "export-here");
      mkdirSync(dir);
      symlinkSync(dir, join(tmp, "folder-link.nir"));
      for (const out of [dir, join(tmp, "folder-link.nir")]) {
        const r = await here("export", TINY, "--out", out);
        expect(r.stderr).toBe(`cannot write ${out}: it is a folder\n`);
        expect(r.status).toBe(1);
      }
      expect(readdirSync(dir)).toEqual([]);
      expect(readdirSync(tmp).filter((f) => f.includes(".tmp-"))).toEqual([]);
    });

    it("a link to a file is written through: the link stays a link", async () => {
      const real = join(tmp, "real.nir");
      const link = join(tmp, "link.nir");
      writeFileSync(real, "");
      symlinkSync(real, link);
      const r = await here("export", TINY, "--out", link);
      expect(r.status, r.stderr).toBe(0);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readFileSync(real).subarray(1, 4).toString()).toBe("HDF");
    });

    it("a dangling link as the folder: train, import and export name it", async () => {
      const dir = join(tmp, "dangling-dir");
      symlinkSync(join(tmp, "gone", "deeper"), dir);
      const want = `cannot create ${dir}: it is a symbolic link to nothing\n`;
      for (const args of [["train", TINY, ...tiny, "--out", join(dir, "run")], ["import", NIR, "--dt-ms", "1", "--out", join(dir, "a.json")], ["export", TINY, "--out", join(dir, "a.nir")]]) {
        const r = await here(...args);
        expect(r.stderr, args[0]).toBe(want);
        expect(r.status).toBe(1);
      }
    });

    it.skipIf(!existsSync("/proc/self"))("a folder that takes no new files (/proc): train, import and export name the file", async () => {
      const why = "the folder takes no new files (a pseudo file system such as /proc?)";
      let r = await here("train", TINY, ...tiny, "--out", "/proc");
      expect(r.stderr).toBe(`cannot write /proc/run.json: ${why}\n`);
      expect(r.status).toBe(1);
      // Refused before the backend is chosen and the kernels are built (minutes for a big network).
      expect(r.stdout).not.toContain("backend:");
      r = await here("import", NIR, "--dt-ms", "1", "--out", "/proc/snnc.json");
      expect(r.stderr).toBe(`cannot write /proc/snnc.json: ${why}\n`);
      expect(r.status).toBe(1);
      r = await here("export", TINY, "--out", "/proc/snnc.nir");
      expect(r.stderr).toBe(`cannot write /proc/snnc.nir: ${why}\n`);
      expect(r.status).toBe(1);
    });
  });

  it("train on a full disk (a real ENOSPC mid-run)", (ctx) => {
    if (!mounted) ctx.skip();
    const out = join(FULL, "run");
    const r = snnc("train", TINY, "--backend", "cpu", "--epochs", "3", "--limit", "64", "--progress", "none", "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^cannot write ${out}/[\\w.-]+: no space left on the device\\n$`));
    expect(existsSync(out) ? readdirSync(out).filter((f) => f.includes(".tmp-")) : []).toEqual([]);
  });
});
