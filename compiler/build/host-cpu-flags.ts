// The CPU kernels' default compile flags, picked for the machine that builds them: the widest
// x86-64 micro-architecture level this CPU has (never -march=native, which would also tune for
// vendor-specific extensions). A build folder moved to a machine with a narrower vector unit gets
// other default flags there, so its build stamp no longer matches and the kernels are rebuilt
// instead of crashing on an illegal instruction.

import { readFileSync } from "node:fs";
import { arch } from "node:os";
import { DEFAULT_CPU_FLAGS } from "../backends/cpu/backend.ts";

/** AVX-512 F/BW/CD/DQ/VL: x86-64-v4. 512-bit vectors measured faster than GCC's default 256 here
 *  (F-MNIST sparse step 7.4 → 6.5 ms on a 2-core Xeon, 2026-11-29). */
export const AVX512_CPU_FLAGS = "-march=x86-64-v4 -mprefer-vector-width=512";
const V4 = ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"];
const V3 = ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "movbe", "xsave"];

/** Flags for a CPU with these /proc/cpuinfo flags (x86-64 only). */
export function cpuFlagsFor(flags: Set<string>): string {
  if (V4.every((f) => flags.has(f))) return AVX512_CPU_FLAGS;
  if (V3.every((f) => flags.has(f))) return DEFAULT_CPU_FLAGS;
  return "";  // a plain x86-64 build: older than AVX2
}

let cached: string | undefined;

/** The flags for this machine: SNNC_CPU_FLAGS when set (e.g. to build for an older CPU than this
 *  one); else by /proc/cpuinfo on x86-64 Linux; elsewhere the emitted default on x86-64 and none on
 *  other architectures (the compiler's own default target). */
export function hostCpuFlags(): string {
  const forced = process.env.SNNC_CPU_FLAGS;
  if (forced !== undefined) return forced;
  if (cached !== undefined) return cached;
  if (arch() !== "x64") return (cached = "");
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("flags"));
    cached = line ? cpuFlagsFor(new Set(line.slice(line.indexOf(":") + 1).trim().split(/\s+/))) : DEFAULT_CPU_FLAGS;
  } catch {
    cached = DEFAULT_CPU_FLAGS;
  }
  return cached;
}
