// The cache roof's probe (runtime/bench/cache-bandwidth.ts and probe_read_gbps in the CPU kernels):
// the L2 size read from /sys, the calls it makes, and the real probe in a built CPU addon.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { l2CacheBytes, measureCacheBandwidth } from "../../runtime/bench/cache-bandwidth.ts";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { buildModel } from "../support/build-model.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fake /sys/devices/system/cpu/cpu0/cache with these (level, type, size) entries. */
function sysCache(entries: [string, string, string][]): string {
  const dir = mkdtempSync(join(tmpdir(), "snnc-cache-"));
  dirs.push(dir);
  entries.forEach(([level, type, size], k) => {
    mkdirSync(join(dir, `index${k}`));
    writeFileSync(join(dir, `index${k}`, "level"), `${level}\n`);
    writeFileSync(join(dir, `index${k}`, "type"), `${type}\n`);
    writeFileSync(join(dir, `index${k}`, "size"), `${size}\n`);
  });
  return dir;
}

describe("cache roof", () => {
  it("reads the L2's size from /sys (the data or unified level 2, not an instruction cache)", () => {
    expect(l2CacheBytes(sysCache([["1", "Data", "32K"], ["1", "Instruction", "32K"], ["2", "Unified", "1024K"], ["3", "Unified", "32768K"]]))).toBe(1024 * 1024);
    expect(l2CacheBytes(sysCache([["2", "Instruction", "64K"], ["2", "Data", "2M"]]))).toBe(2 * 2 ** 20);
    expect(l2CacheBytes(sysCache([["1", "Data", "48K"]]))).toBeNull();
    expect(l2CacheBytes(join(tmpdir(), "snnc-no-such-dir"))).toBeNull();
  });

  it("asks the addon for half the L2 per thread, about 64 MiB a call, and keeps the best of its tries", () => {
    const calls: [number, number][] = [];
    const answers = [180, 210, 195];
    const addon = { probeReadBandwidth: (bytes: number, reps: number) => (calls.push([bytes, reps]), answers[calls.length - 1]) } as unknown as NativeAddon;
    const r = measureCacheBandwidth(addon, { l2Bytes: 1024 * 1024 })!;
    expect(calls).toEqual([[512 * 1024, 128], [512 * 1024, 128], [512 * 1024, 128]]);
    expect(r.gbPerS).toBe(210);
    expect(r.how).toBe("read of 512 KiB per kernel thread (half the 1024 KiB L2 of cpu0) with the kernels' vector loads, best of 3");
    // No probe (an older build), or one that has none on its backend (CUDA: −1): no cache roof.
    expect(measureCacheBandwidth({} as NativeAddon)).toBeNull();
    expect(measureCacheBandwidth({ probeReadBandwidth: () => -1 } as unknown as NativeAddon, { l2Bytes: null })).toBeNull();
  });

  it("the CPU addon's probe returns a finite positive rate and refuses bad arguments in one sentence", async () => {
    const { addon } = await buildModel("models/tiny.json", "cpu");
    const probe = addon.probeReadBandwidth!;
    // Rates only, never compared: how fast a cache is here is the machine's, not the test's.
    for (const bytes of [16 * 1024, 512 * 1024, 64 * 2 ** 20]) {
      const gbPerS = probe(bytes, 2);
      expect(Number.isFinite(gbPerS) && gbPerS > 0).toBe(true);
    }
    expect(() => probe(16, 1)).toThrow(/^probeReadBandwidth: bytes must be 1 KiB to 256 MiB and reps 1 to 100000$/);
    expect(() => probe(4096, 0)).toThrow(/reps 1 to 100000/);
    expect(() => probe(2 ** 28 + 1, 1)).toThrow(/1 KiB to 256 MiB/);  // per thread: a bound on what the probe may allocate
    expect(() => (probe as unknown as (a: string) => number)("x")).toThrow(/^probeReadBandwidth\(bytes, reps\) takes two numbers$/);
  });
});
