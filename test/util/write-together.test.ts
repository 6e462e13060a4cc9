// writeFilesTogether (compiler/util/write-together.ts): a set of files appears whole or not at all
// (issue 26, item 5: `snnc import` on a full disk left the spec without its weights). A full disk
// fails while staging; a rename that fails (here: a folder where the second file should go) undoes
// the renames before it, bringing back the files they replaced.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setWriteBytesForTest } from "../../compiler/util/atomic-write.ts";
import { writeFilesTogether } from "../../compiler/util/write-together.ts";

const tmp = mkdtempSync(join(tmpdir(), "snnc-together-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  return dir;
}

/** Fails every byte write after the first `n` calls with ENOSPC, as a disk that fills up. */
function fullAfter<T>(n: number, fn: () => T): T {
  let calls = 0;
  const prev = setWriteBytesForTest((fd, bytes, off, len) => {
    if (++calls > n) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
    return prev(fd, bytes, off, len);
  });
  try {
    return fn();
  } finally {
    setWriteBytesForTest(prev);
  }
}

describe("writeFilesTogether", () => {
  it("writes every file", () => {
    const dir = folder("ok");
    writeFilesTogether([
      { path: join(dir, "a.json"), data: "{}" },
      { path: join(dir, "a.bin"), data: new Uint8Array([1, 2, 3]) },
    ]);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe("{}");
    expect([...readFileSync(join(dir, "a.bin"))]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(["a.bin", "a.json"]);
  });

  it("a disk that fills up on the second file: neither appears, no temporary file is left", () => {
    const dir = folder("full-new");
    const write = () => writeFilesTogether([{ path: join(dir, "a.json"), data: "{}" }, { path: join(dir, "a.bin"), data: "weights" }]);
    expect(() => fullAfter(1, write)).toThrow(`cannot write ${join(dir, "a.bin")}: no space left on the device`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("the same over an existing pair: both old files stay as they were", () => {
    const dir = folder("full-old");
    writeFileSync(join(dir, "a.json"), "old spec");
    writeFileSync(join(dir, "a.bin"), "old weights");
    const write = () => writeFilesTogether([{ path: join(dir, "a.json"), data: "new spec" }, { path: join(dir, "a.bin"), data: "new weights" }]);
    expect(() => fullAfter(1, write)).toThrow("no space left on the device");
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe("old spec");
    expect(readFileSync(join(dir, "a.bin"), "utf8")).toBe("old weights");
    expect(readdirSync(dir).sort()).toEqual(["a.bin", "a.json"]);
  });

  it("a rename that fails undoes the ones before it: a replaced file comes back, a new one goes", () => {
    const dir = folder("rename");
    writeFileSync(join(dir, "old.json"), "old spec");
    mkdirSync(join(dir, "in-the-way.bin"));
    writeFileSync(join(dir, "in-the-way.bin", "x"), "");
    const write = (first: string) => () => writeFilesTogether([{ path: join(dir, first), data: "new" }, { path: join(dir, "in-the-way.bin"), data: "w" }]);
    expect(write("old.json")).toThrow(`cannot write ${join(dir, "in-the-way.bin")}`);
    expect(readFileSync(join(dir, "old.json"), "utf8")).toBe("old spec");
    expect(write("new.json")).toThrow(`cannot write ${join(dir, "in-the-way.bin")}`);
    expect(existsSync(join(dir, "new.json"))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["in-the-way.bin", "old.json"]);
  });
});
