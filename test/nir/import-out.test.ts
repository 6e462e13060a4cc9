// Where `snnc import` writes (issue 26, items 4 and 5): never over the file it reads, only a
// `.json` spec name (the weights go beside it), an existing spec or weights file only with
// --force, and the pair whole or not at all on a full disk. Each refusal is one sentence with
// the path, before anything is read or written.

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setWriteBytesForTest } from "../../compiler/util/atomic-write.ts";
import { runImport } from "../../runtime/nir/run-import.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "snnc.mjs");
const NIR = join(ROOT, "test/nir/fixtures/lif2-snntorch.nir");
const tmp = mkdtempSync(join(tmpdir(), "snnc-import-out-"));
const FULL = join(tmp, "full");
let mounted = false;
beforeAll(() => {
  mkdirSync(FULL);
  mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", FULL]).status === 0;
});
afterAll(() => {
  if (mounted) spawnSync("umount", [FULL]);
  rmSync(tmp, { recursive: true, force: true });
});

function folder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  return dir;
}

function importIn(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, "import", ...args], { cwd, encoding: "utf8", env: { ...process.env, SNNC_DEBUG: "" } });
  expect(r.stderr).not.toContain("    at ");
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("snnc import --out", () => {
  it("must name a .json file: --out w.safetensors is a usage error, exit 2, nothing written", () => {
    const dir = folder("not-json");
    const r = importIn(dir, NIR, "--dt-ms", "1", "--out", "w.safetensors");
    expect(r.stderr).toBe("--out w.safetensors: the spec's file name must end in .json (its weights go beside it as <name>.safetensors)\n");
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("never writes over the input, even with --force: through a link, or by the default name", () => {
    const dir = folder("input");
    copyFileSync(NIR, join(dir, "net.json")); // a NIR file with an odd name: the default --out is net.json
    copyFileSync(NIR, join(dir, "w.safetensors"));
    symlinkSync("net.json", join(dir, "link.json"));
    const before = readFileSync(NIR);

    let r = importIn(dir, "net.json", "--dt-ms", "1", "--force");
    expect(r.stderr).toBe("net.json is the file being imported, and the default --out (net.json) would write the spec over it; choose another --out\n");
    expect(r.code).toBe(2);
    r = importIn(dir, "net.json", "--dt-ms", "1", "--out", "link.json", "--force");
    expect(r.stderr).toBe("--out link.json would write the spec over net.json, the file being imported; choose another --out\n");
    expect(r.code).toBe(2);
    r = importIn(dir, "w.safetensors", "--dt-ms", "1", "--out", "w.json");
    expect(r.stderr).toBe("--out w.json would write its weights (w.safetensors) over w.safetensors, the file being imported; choose another --out\n");
    expect(r.code).toBe(2);

    expect(readFileSync(join(dir, "net.json"))).toEqual(before);
    expect(readFileSync(join(dir, "w.safetensors"))).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(["link.json", "net.json", "w.safetensors"]);
  });

  it("replaces an existing spec or weights file only with --force", () => {
    const dir = folder("existing");
    expect(importIn(dir, NIR, "--dt-ms", "1", "--out", "a.json").code).toBe(0);
    writeFileSync(join(dir, "a.json"), "mine");
    writeFileSync(join(dir, "a.safetensors"), "mine too");

    let r = importIn(dir, NIR, "--dt-ms", "1", "--out", "a.json");
    expect(r.stderr).toBe("a.json and a.safetensors already exist; pass --force to replace them, or choose another --out\n");
    expect(r.code).toBe(1);
    rmSync(join(dir, "a.json"));
    r = importIn(dir, NIR, "--dt-ms", "1", "--out", "a.json");
    expect(r.stderr).toBe("a.safetensors already exists; pass --force to replace it (and write a.json beside it), or choose another --out\n");
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual(["a.safetensors"]);
    expect(readFileSync(join(dir, "a.safetensors"), "utf8")).toBe("mine too");

    r = importIn(dir, NIR, "--dt-ms", "1", "--out", "a.json", "--force");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "a.json"), "utf8")).name).toBe("lif2-snntorch");
    expect(readFileSync(join(dir, "a.safetensors")).length).toBeGreaterThan(1000);
  });
});

describe("snnc import on a full disk", () => {
  const opts = { file: NIR, dtMs: 1, discretization: "exact", reset: "subtract", log: () => {} } as const;

  it("leaves the existing pair as it was when the weights do not fit (injected ENOSPC after the spec)", async () => {
    const dir = folder("inject");
    const spec = join(dir, "a.json");
    writeFileSync(spec, "old spec");
    writeFileSync(join(dir, "a.safetensors"), "old weights");
    let calls = 0;
    const prev = setWriteBytesForTest((fd, bytes, off, len) => {
      if (++calls > 1) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
      return prev(fd, bytes, off, len);
    });
    try {
      await expect(runImport({ ...opts, out: spec, force: true })).rejects.toThrow(`cannot write ${join(dir, "a.safetensors")}: no space left on the device`);
    } finally {
      setWriteBytesForTest(prev);
    }
    expect(readFileSync(spec, "utf8")).toBe("old spec");
    expect(readFileSync(join(dir, "a.safetensors"), "utf8")).toBe("old weights");
    expect(readdirSync(dir).sort()).toEqual(["a.json", "a.safetensors"]);
  });

  it("a real full tmpfs with room for the spec only: neither file appears, exit 1, one sentence", (ctx) => {
    if (!mounted) ctx.skip();
    // One 4 KiB page left: the spec (about 1 KiB) fits, its weights (about 6 KiB) do not.
    const free = statfsSync(FULL);
    writeFileSync(join(FULL, "filler"), new Uint8Array(free.bavail * free.bsize - 4096));
    const r = importIn(FULL, NIR, "--dt-ms", "1", "--out", "a.json");
    expect(r.stderr).toBe("cannot write a.safetensors: no space left on the device\n");
    expect(r.code).toBe(1);
    expect(readdirSync(FULL)).toEqual(["filler"]);
    expect(existsSync(join(FULL, "a.json"))).toBe(false);
  });
});
