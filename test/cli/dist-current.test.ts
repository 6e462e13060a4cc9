// bin/snnc.mjs runs the compiled CLI in dist/ only when dist/ was stamped after the last change to
// any source it is compiled from (bin/dist-current.mjs); otherwise the sources under tsx.

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs file without types (the bin runs before anything is compiled)
import { distIsCurrent } from "../../bin/dist-current.mjs";

const root = mkdtempSync(join(tmpdir(), "snnc-dist-current-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `path` under the temporary package with its time `seconds` after an epoch. */
function file(path: string, seconds: number): void {
  const at = join(root, path);
  mkdirSync(dirname(at), { recursive: true });
  writeFileSync(at, "");
  utimesSync(at, 1_000_000 + seconds, 1_000_000 + seconds);
}

describe("dist/ is current", () => {
  it("only when its stamp is newer than every source, and it holds the CLI", () => {
    expect(distIsCurrent(root)).toBe(false); // nothing built
    for (const p of ["package.json", "tsconfig.json", "tsconfig.build.json", "compiler/ir/lower.ts", "runtime/cli/commands/train.ts", "compiler/spec/schema.json"]) file(p, 10);
    file("dist/runtime/cli/main.js", 20);
    expect(distIsCurrent(root)).toBe(false); // compiled, never stamped
    file("dist/.built", 20);
    expect(distIsCurrent(root)).toBe(true);
    file("runtime/cli/commands/train.ts", 30); // a source edited (or touched) after the build
    expect(distIsCurrent(root)).toBe(false);
    file("dist/.built", 40); // built again
    expect(distIsCurrent(root)).toBe(true);
    file("compiler/spec/schema.json", 50); // JSON is compiled in too
    expect(distIsCurrent(root)).toBe(false);
    file("dist/.built", 60);
    file("runtime/README.md", 70); // not a source of dist/
    expect(distIsCurrent(root)).toBe(true);
    rmSync(join(root, "dist/runtime/cli/main.js"));
    expect(distIsCurrent(root)).toBe(false); // an older dist/ without the CLI
  });
});
