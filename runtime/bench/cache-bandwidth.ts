// The cache roof of the kernel table (runtime/bench/roofline.ts): how fast the kernels' own threads
// read from one core's L2, measured in the compiled model (probe_read_gbps in kernels.cpp, built
// with the kernels' flags and vector width). The memory roof (bandwidth.ts) says what streaming a
// kernel's unique data from DRAM would cost; the input layers instead stream rows of W, and of ∂L/∂I,
// through L2 many times, which this roof prices.

import { readFileSync } from "node:fs";
import type { NativeAddon } from "../model/native.ts";
import type { Bandwidth } from "./roofline.ts";

/** Bytes of cpu0's level-2 cache (/sys), or null where the system does not say. */
export function l2CacheBytes(sysCpu = "/sys/devices/system/cpu/cpu0/cache"): number | null {
  for (let k = 0; k < 8; k++) {
    try {
      const level = readFileSync(`${sysCpu}/index${k}/level`, "utf8").trim();
      const type = readFileSync(`${sysCpu}/index${k}/type`, "utf8").trim();
      if (level !== "2" || type === "Instruction") continue;
      const m = /^(\d+)([KMG]?)$/.exec(readFileSync(`${sysCpu}/index${k}/size`, "utf8").trim());
      if (!m) return null;
      return Number(m[1]) * { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[m[2] as "" | "K" | "M" | "G"];
    } catch {
      return null;
    }
  }
  return null;
}

/** The L2 read bandwidth of the kernels' threads together: each reads a buffer of half the L2 (a
 * quarter MiB where the size is unknown), about 64 MiB per call, best of `tries`. Null when the
 * addon has no probe (a CUDA backend, or a build from before it). */
export function measureCacheBandwidth(addon: NativeAddon, opts: { l2Bytes?: number | null; tries?: number } = {}): Bandwidth | null {
  if (typeof addon.probeReadBandwidth !== "function") return null;
  const l2 = opts.l2Bytes === undefined ? l2CacheBytes() : opts.l2Bytes;
  const bytes = l2 ? Math.max(16 * 1024, Math.floor(l2 / 2)) : 256 * 1024;
  const reps = Math.max(4, Math.round((64 * 2 ** 20) / bytes));
  const tries = Math.max(1, opts.tries ?? 3);
  let best = -1;
  for (let k = 0; k < tries; k++) best = Math.max(best, addon.probeReadBandwidth(bytes, reps));
  if (!(best > 0)) return null;
  const where = l2 ? `half the ${l2 / 1024} KiB L2 of cpu0` : "no L2 size found in /sys";
  return { gbPerS: best, how: `read of ${bytes / 1024} KiB per kernel thread (${where}) with the kernels' vector loads, best of ${tries}` };
}
