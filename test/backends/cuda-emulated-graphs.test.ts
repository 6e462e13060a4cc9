// The emulator's CUDA graphs (templates/emulated-cuda/cuda_runtime.h), which the --step-graph build
// runs on: a stream capture records memsets and launches with their arguments as they were, runs
// nothing until the graph is launched, replays them in order, takes new kernel arguments in an
// instantiation only; and, as a GPU does, refuses a synchronisation or an allocation during a
// capture, with one line naming the call, and fails the capture. test/backends/fixtures/
// graph-capture.cu holds the program, built here by g++ like the emulated addons.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildEmulatedFixture, describeEmulated, EMULATION } from "./emulated-cuda.ts";

describeEmulated("the emulated CUDA build's graphs: capture, replay, new arguments, refusals", () => {
  const dir = mkdtempSync(join(tmpdir(), "snnc-graphs-"));
  let exe = "";
  beforeAll(() => {
    if (EMULATION.ok) exe = buildEmulatedFixture("graph-capture", dir);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (mode: string) => spawnSync(exe, [mode], { encoding: "utf8", timeout: 60_000 });

  it("records without running, replays in order, and takes new arguments in one instantiation only", () => {
    const r = run("replay");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      "capture active, ok",
      "0 0", // captured: nothing ran
      "3 3", // memset, +1 (the value at the launch, not the 100 set after it), +2
      "set ok",
      "12 12", // the first add now +10 in this instantiation
      "3 3", // a new instantiation of the graph: +1 again
    ]);
  });

  for (const [mode, call] of [
    ["sync-in-capture", "cudaStreamSynchronize"],
    ["malloc-in-capture", "cudaMalloc"],
  ] as const) {
    it(`refuses ${call} during a capture, says so in one line, and ends the capture without a graph`, () => {
      const r = run(mode);
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split("\n")).toEqual([`${mode}: error, end capture: error, graph none`, "0 0"]);
      expect(r.stderr.trim().split("\n")).toEqual([
        `snnc emulated CUDA: ${call} while a stream is being captured into a graph (a GPU refuses it and invalidates the capture)`,
      ]);
    });
  }
});
