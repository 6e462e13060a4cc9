// This machine's memory bandwidth, measured once per bench run, and its nominal flop peak: the two
// roofs of the kernel table (runtime/bench/roofline.ts).
//
// Bandwidth: a STREAM-like copy, not a native STREAM: `threads` worker threads each copy their own
// slice of a 2 × 256 MiB SharedArrayBuffer with Float32Array.prototype.set (V8 copies same-type
// arrays with memmove, so the loop is native), started together; the best of `reps` rounds counts
// 2 bytes per byte copied (read + write, STREAM's convention; write-allocate traffic not counted).
// It runs beside whatever else the machine does, like the timings it is compared with.

import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { Worker } from "node:worker_threads";
import type { Bandwidth } from "./roofline.ts";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { sab, offset, count, sync } = workerData;
const src = new Float32Array(sab, offset * 4, count);
const dst = new Float32Array(sab, (workerData.half + offset) * 4, count);
src.fill(1); dst.fill(0);
const flag = new Int32Array(sync);
parentPort.on("message", (round) => {
  Atomics.add(flag, 0, 1);
  while (Atomics.load(flag, 0) < workerData.threads * (round + 1)) {} // start together
  const t0 = process.hrtime.bigint();
  dst.set(src);
  const t1 = process.hrtime.bigint();
  parentPort.postMessage([Number(t0), Number(t1)]);
});
`;

export async function measureBandwidth(opts: { mib?: number; threads?: number; reps?: number } = {}): Promise<Bandwidth> {
  const mib = opts.mib ?? 256;
  const threads = Math.max(1, opts.threads ?? cpus().length);
  const reps = opts.reps ?? 5;
  const half = Math.floor((mib * 2 ** 20) / 4 / threads) * threads;
  const sab = new SharedArrayBuffer(half * 2 * 4);
  const sync = new SharedArrayBuffer(4);
  const per = half / threads;
  const workers = Array.from({ length: threads }, (_, k) => new Worker(WORKER, { eval: true, workerData: { sab, sync, offset: k * per, count: per, half, threads } }));
  try {
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const spans = await Promise.all(workers.map((w) => new Promise<[number, number]>((res) => {
        w.once("message", res);
        w.postMessage(r);
      })));
      const secs = (Math.max(...spans.map((s) => s[1])) - Math.min(...spans.map((s) => s[0]))) / 1e9;
      best = Math.min(best, secs);
    }
    const bytes = 2 * half * 4;
    return { gbPerS: bytes / best / 1e9, how: `copy of ${mib} MiB (Float32Array.set, memmove) on ${threads} worker threads, best of ${reps}, read + write counted` };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Nominal single-precision peak: cores × clock × flops per cycle (two FMA ports × 8 lanes × 2 with
 * AVX2, × 16 lanes with AVX-512), from /proc/cpuinfo; null where it does not say. A ceiling from the
 * data sheet's arithmetic, not a measurement; the kernels are built for AVX2 unless their flags say otherwise. */
export function nominalPeakGflops(cores = cpus().length): { gflops: number; how: string } | null {
  let info: string;
  try {
    info = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return null;
  }
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(info)?.[1]);
  if (!Number.isFinite(mhz) || mhz <= 0) return null;
  const perCycle = 32; // AVX2: 2 FMA × 8 f32 × 2 flops (the default -march=x86-64-v3 build)
  return { gflops: (cores * mhz * perCycle) / 1000, how: `nominal: ${cores} cores × ${(mhz / 1000).toFixed(2)} GHz (/proc/cpuinfo) × ${perCycle} flops/cycle (AVX2, 2 FMA ports)` };
}
