// One spec reaches one build whichever command or file name leads to it (issue 26, item 8). The
// sources' banner named the spec file: by its file name for train, as typed for bench, so
// alternating `snnc bench` and `snnc train`, a link, or a copy under another name rewrote every
// source and rebuilt the kernels. The emitted sources now name the spec by its name and hash only.

import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIsCurrent } from "../../compiler/build/build-addon.ts";
import { compileNetwork, compileSpec, GENERATED_ROOT, loadNetwork, sourceLabel } from "../../compiler/pipeline.ts";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { openCpu, TINY } from "../train/support.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "snnc-routes-"));
const specs = join(tmp, "my specs");
const copy = join(specs, "copy of tiny.json");
const link = join(specs, "link.json");
// A copy of tiny's built folder (inside the project tree, as an addon folder must be): compiling
// into it by the other routes must write nothing and leave its build current.
const COPY = join(GENERATED_ROOT, `test-routes-${process.pid}`, "cpu");

beforeAll(async () => {
  mkdirSync(specs);
  copyFileSync(join(ROOT, TINY), copy);
  symlinkSync(join(ROOT, TINY), link);
  const opened = await openCpu(TINY); // train's route: the shared build of models/tiny.json
  const src = join(opened.addonPath.slice(0, opened.addonPath.indexOf(join("cpu", "build"))), "cpu");
  cpSync(src, COPY, { recursive: true, filter: (p) => !p.endsWith(".lock") });
}, 300_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(join(COPY, ".."), { recursive: true, force: true });
});

describe("the emitted sources of one spec", () => {
  it("are the same whatever file label they are emitted for (manifest.json's description aside)", () => {
    const plan = buildPlan(loadNetwork(TINY));
    const a = emitBackend(plan, "cpu", sourceLabel(TINY));
    const b = emitBackend(plan, "cpu", "/elsewhere/a folder/another name.json");
    const hashed = (files: typeof a) => files.filter((f) => f.path !== "manifest.json");
    expect(hashed(b)).toEqual(hashed(a));
    const hash = (files: typeof a) => JSON.parse(files.find((f) => f.path === "manifest.json")!.content).contentHash;
    expect(hash(b)).toBe(hash(a));
  });
});

describe("one spec reached by another route", () => {
  it.each([
    ["a copy under another name, in a folder with spaces", copy],
    ["a symbolic link with another name", link],
  ])("%s writes nothing and reuses the build", (_, path) => {
    const again = compileSpec(path, "cpu", COPY);
    expect(again.written).toEqual([]);
    expect(buildIsCurrent(COPY)).toBe(true);
  });

  it("bench's route (the spec labelled by the path as typed) writes nothing and reuses the build", () => {
    const again = compileNetwork(loadNetwork(link), "cpu", relative(process.cwd(), link), COPY);
    expect(again.written).toEqual([]);
    expect(buildIsCurrent(COPY)).toBe(true);
  });
});

describe("snnc bench after the kernels were built for training", () => {
  it("through a link in a folder with spaces, builds nothing", { timeout: 120_000 }, () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "snnc.mjs"), "bench", link, "--backend", "cpu", "--reps", "1", "--warmup", "0", "--no-peer", "--activity", "off", "--batch", "4"],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, SNNC_DEBUG: "" } },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^tiny on cpu: batch 4/m);
    expect(r.stdout).not.toMatch(/built the cpu kernels/);
  });
});
