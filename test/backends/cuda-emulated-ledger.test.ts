// The emulated CUDA build is loud about threads out of step: a kernel in which one thread skips a
// block barrier, waits at one more, or leaves out a warp intrinsic stops the run with one line
// naming the kernel, the block and the threads (HIP-CPU alone would carry on desynchronised). Two
// blocks run at once on two threads: whichever finds the fault first names its block.
// test/backends/fixtures/desync-kernels.cu holds the kernels, built here by g++ like the emulated
// addons (same header, same HIP-CPU).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildEmulatedFixture, describeEmulated, EMULATION } from "./emulated-cuda.ts";

describeEmulated("the emulated CUDA build stops a kernel whose threads reach different barriers", () => {
  const dir = mkdtempSync(join(tmpdir(), "snnc-desync-"));
  let exe = "";
  beforeAll(() => {
    if (EMULATION.ok) exe = buildEmulatedFixture("desync-kernels", dir);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (kernel: string) => spawnSync(exe, [kernel], { encoding: "utf8", timeout: 60_000 });

  it("runs a kernel whose threads keep in step, with CUDA's results", () => {
    const r = run("in_step");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // Each warp sums s[63 − tid] over its 32 lanes: 63 + … + 32 and 31 + … + 0, in both blocks.
    expect(r.stdout.trim()).toBe("1520 496 1520 496");
  });

  for (const [kernel, line] of [
    ["skips_block_barrier", /^snnc emulated CUDA: kernel skips_block_barrier, block [01]: thread 5 returned \(0 block barriers, 0 warp intrinsics, returned\) out of step with thread 0 \(1 block barriers/],
    ["extra_block_barrier", /^snnc emulated CUDA: kernel extra_block_barrier, block [01]: thread 1 returned \(1 block barriers, 0 warp intrinsics, returned\) out of step with thread 0 \(2 block barriers/],
    ["skips_warp_intrinsic", /^snnc emulated CUDA: kernel skips_warp_intrinsic, block [01]: thread 3 returned \(0 block barriers, 0 warp intrinsics, returned\) out of step with thread 0 \(0 block barriers, 1 warp intrinsics\)/],
  ] as const) {
    it(`stops ${kernel} with one line naming the kernel, the block and the threads`, () => {
      const r = run(kernel);
      expect(r.status === 0 && r.signal === null).toBe(false);
      expect(r.stderr).toMatch(line);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
  }
});
