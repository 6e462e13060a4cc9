// The library guide's example runs as written: the block in docs/library.md is examples/custom-loop.ts
// to the letter, and the file, run as a user would (tsx, importing "snnc" by its package name),
// trains tiny.json past chance.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const example = readFileSync(join(ROOT, "examples", "custom-loop.ts"), "utf8");

describe("examples/custom-loop.ts", () => {
  it("is docs/library.md's example block, to the letter", () => {
    const guide = readFileSync(join(ROOT, "docs", "library.md"), "utf8");
    expect(guide).toContain("```ts\n" + example + "```");
  });

  it("runs as written and learns tiny's synthetic task", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "examples/custom-loop.ts"], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const epochs = [...r.stdout.matchAll(/^epoch (\d): test accuracy ([\d.]+)%, l1 active ([\d.]+)%$/gm)];
    expect(epochs.map((m) => Number(m[1]))).toEqual([1, 2, 3]);
    // Three classes: chance is 33%; tiny reaches about 90% in three epochs.
    expect(Number(epochs[2][2])).toBeGreaterThan(60);
    expect(Number(epochs[2][3])).toBeGreaterThan(0);
  }, 300_000);
});
