// The build cache checks the addon itself, not only its stamp (issue 13, item 4): a truncated or
// overwritten .node is rebuilt rather than loaded (a truncated one crashed with SIGBUS), and a
// .node that still fails to load says how to rebuild it.

import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAddon, buildIsCurrent } from "../../compiler/build/build-addon.ts";
import { GENERATED_ROOT } from "../../compiler/pipeline.ts";
import { AddonLoadError } from "../../runtime/model/native.ts";
import { loadAddonOrHint, type OpenedNetwork } from "../../runtime/model/open-model.ts";
import { openCpu, TINY } from "../train/support.ts";

// A copy of tiny's built folder (inside the project tree, as an addon folder must be), so breaking
// its .node never disturbs the shared build other test files load.
const COPY = join(GENERATED_ROOT, `test-stamp-${process.pid}`, "cpu");
let opened: OpenedNetwork;
let addon: string;
let original: Buffer;
beforeAll(async () => {
  opened = await openCpu(TINY);
  const src = join(opened.addonPath.slice(0, opened.addonPath.indexOf(`${join("cpu", "build")}`)), "cpu");
  cpSync(src, COPY, { recursive: true, filter: (p) => !p.endsWith(".lock") });
  addon = join(COPY, opened.addonPath.slice(src.length + 1));
  original = readFileSync(addon);
});
afterAll(() => rmSync(join(COPY, ".."), { recursive: true, force: true }));

describe("the build stamp", () => {
  it("accepts the addon it recorded", () => {
    expect(buildIsCurrent(COPY)).toBe(true);
  });

  it("refuses a truncated addon (its ELF header intact)", () => {
    truncateSync(addon, Math.floor(original.length / 2));
    expect(buildIsCurrent(COPY)).toBe(false);
    writeFileSync(addon, original);
    expect(buildIsCurrent(COPY)).toBe(true);
  });

  it("refuses an addon of the same size with other bytes", () => {
    const other = Buffer.from(original);
    other[other.length - 100] ^= 0xff;
    writeFileSync(addon, other);
    expect(buildIsCurrent(COPY)).toBe(false);
    writeFileSync(addon, original);
  });
});

describe("an addon that will not load", () => {
  it("says to rebuild it with snnc build --force", () => {
    const junk = join(COPY, "junk.node");
    writeFileSync(junk, Buffer.alloc(4096, 7));
    let error: unknown;
    try {
      loadAddonOrHint(junk, "cpu");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AddonLoadError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot load the compiled model ${junk}: .*; rebuild it with \`snnc build <spec> --backend cpu --force\`$`));
  });
});

// Last: it loads the rebuilt addon into this process, whose file must not be rewritten after that.
describe("a truncated addon", () => {
  it("a truncated addon is rebuilt (make and ninja think it newer than its sources) and then loads", async () => {
    truncateSync(addon, Math.floor(original.length / 2));
    const r = await buildAddon(COPY);
    expect(r.built).toBe(true);
    expect(readFileSync(r.addonPath).length).toBeGreaterThan(original.length / 2);
    expect(buildIsCurrent(COPY)).toBe(true);
    expect(loadAddonOrHint(r.addonPath, "cpu").info.name).toBe("tiny");
  });
});
