// Building an emitted addon folder with cmake-js. cmake-js's own silent mode swallows compiler
// errors, so we ask it for the configure and build command lines and run them ourselves with the
// output captured: a failed build reports the compiler's first errors with file:line.

import { makeDirs } from "../util/make-dirs.ts";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.ts";
import { withDirLock } from "../util/dir-lock.ts";
import { readManifest } from "../backends/emit.ts";
import { hostCpuFlags } from "./host-cpu-flags.ts";
import { emulationSupport } from "./hip-cpu.ts";
import { withNodeAddonApi } from "./napi-include.ts";
import { addonCoreObject, ensureAddonCore } from "./addon-core.ts";
import { BuildError, BuildInterruptedError, runBuildStep } from "./build-step.ts";
import { findInBuild } from "./find-in-build.ts";
import { ensurePrecompiledHeaders, pchDefines } from "./shared-pch.ts";
import { signalsDelivered } from "../util/signals-delivered.ts";

export { BuildError, BuildInterruptedError } from "./build-step.ts";

const require = createRequire(import.meta.url);

export interface BuildOptions {
  /** CUDA only: CMAKE_CUDA_ARCHITECTURES (default 90). */
  cudaArch?: string;
  /** Emulated CUDA only: the HIP-CPU folder (default: emulationSupport()'s, shared/third_party/hip-cpu). */
  hipCpu?: string;
  /** CPU only: compile flags of the kernels (default: hostCpuFlags(), this machine's widest x86-64 level). */
  cpuFlags?: string;
  /** Rebuild even when the stamp says the sources are unchanged. */
  force?: boolean;
  /** Called with each line of compiler output as it arrives (progress). */
  onLine?: (line: string) => void;
  /** Called once when another process is building this folder and this one waits for it
   *  (default: a line through onLine). */
  onWait?: () => void;
  /** The signal a stop was asked by, or null. A signal that reaches the process group while a
   *  build tool runs stops that tool; one caught while none runs (this process between steps)
   *  is seen here, so the build ends as interrupted at the next step instead of running on. */
  stopRequested?: () => NodeJS.Signals | null;
}

export interface BuildResult {
  addonPath: string;
  /** false when an up-to-date build was reused. */
  built: boolean;
  seconds: number;
}

/** Builds generated/<model>-<hash>/<backend>/ into build/Release/<module>.node, reusing a matching build.
 *  One build of a folder at a time, across processes. */
export async function buildAddon(dir: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const onWait = opts.onWait ?? (() => opts.onLine?.(`waiting for another build of ${dir} to finish…`));
  return withDirLock(dir, () => buildUnlocked(dir, opts), onWait);
}

/** What the stamp beside a build records: the inputs it was built from, and the addon it produced
 *  (size and sha256), so a truncated or overwritten .node is rebuilt instead of trusted. */
interface Stamp {
  inputs: string;
  addon: { size: number; sha256: string };
}

function fileDigest(path: string): { size: number; sha256: string } {
  const bytes = readFileSync(path);
  return { size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function readStamp(path: string): Stamp | null {
  try {
    const s = JSON.parse(readFileSync(path, "utf8")) as Stamp;
    return typeof s?.inputs === "string" && typeof s.addon?.size === "number" && typeof s.addon.sha256 === "string" ? s : null;
  } catch {
    return null; // missing, or the old plain-hash stamp: rebuild
  }
}

/** Whether the addon at `found` is exactly the one the stamp recorded for these inputs. */
function stampMatches(stampPath: string, inputs: string, found: string | null): boolean {
  if (found === null) return false;
  const stamp = readStamp(stampPath);
  if (!stamp || stamp.inputs !== inputs) return false;
  try {
    if (statSync(found).size !== stamp.addon.size) return false; // cheap check first
    return fileDigest(found).sha256 === stamp.addon.sha256;
  } catch {
    return false;
  }
}

/** The sources, the defines, and whether a build of exactly them is already there. */
function buildState(dir: string, opts: BuildOptions) {
  const manifest = readManifest(dir);
  if (!manifest) throw new BuildError(`${dir}: no manifest.json here; run \`snnc compile\` first`);
  const defines: Record<string, string> = {};
  if (manifest.emulated) defines.SNNC_HIP_CPU = opts.hipCpu ?? hipCpuOrThrow();
  else if (manifest.backend === "cuda") defines.CMAKE_CUDA_ARCHITECTURES = opts.cudaArch ?? "90";
  if (manifest.backend === "cpu") defines.SNNC_CPU_FLAGS = opts.cpuFlags ?? hostCpuFlags();
  // The nvcc build keeps its own headers and compiles its own binding: what it compiles is what
  // the GPU check vouched for.
  if (manifest.backend === "cpu" || manifest.emulated) {
    Object.assign(defines, pchDefines(), { CMAKE_EXPORT_COMPILE_COMMANDS: "ON" });
    const core = addonCoreObject();
    if (core) defines.SNNC_ADDON_CORE = core;
  }
  const stamp = createHash("sha256").update(manifest.contentHash).update(JSON.stringify(defines)).digest("hex");
  const out = join(dir, "build");
  const stampPath = join(out, "snnc-build-stamp");
  const found = findInBuild(out, [`${manifest.module}.node`]);
  const current = !opts.force && stampMatches(stampPath, stamp, found);
  return { manifest, defines, stamp, out, stampPath, found, current };
}

/** Whether buildAddon would reuse the existing build (nothing to compile). */
export function buildIsCurrent(dir: string, opts: BuildOptions = {}): boolean {
  return buildState(dir, opts).current;
}

async function buildUnlocked(dir: string, opts: BuildOptions): Promise<BuildResult> {
  const { manifest, defines, stamp, out, stampPath, found, current } = buildState(dir, opts);
  if (current && found) return { addonPath: found, built: false, seconds: 0 };

  requireTool("cmake", ["--version"], "cmake is not installed (snnc builds kernels with cmake-js; install cmake ≥ 3.18)", dir);
  if (manifest.backend === "cuda" && !manifest.emulated)
    requireTool("nvcc", ["--version"], "nvcc is not installed or not on PATH (the CUDA backend needs the CUDA toolkit; use --backend cpu)", dir);
  else requireTool("c++", ["--version"], "no C++ compiler found (install g++ or clang, or set CXX)", dir);

  const started = Date.now();
  const checkStop = async () => {
    if (!opts.stopRequested) return;
    await signalsDelivered();
    const signal = opts.stopRequested();
    if (signal) throw new BuildInterruptedError(dir, signal);
  };
  await checkStop();
  // A stale cache would keep old defines (cmake-js reconfigures only without CMakeCache.txt).
  makeDirs(out);
  rmSync(join(out, "CMakeCache.txt"), { force: true });
  rmSync(stampPath, { force: true });
  // An addon the stamp does not vouch for (truncated, overwritten) may look newer than its sources
  // to make/ninja, which would then not relink it: remove it so the build writes a new one.
  if (found) rmSync(found, { force: true });
  // The stamp keeps the shared binding's path either way: compiled here or linked, it is one source.
  if (defines.SNNC_ADDON_CORE && !(await ensureAddonCore(defines.SNNC_ADDON_CORE, opts.onLine))) delete defines.SNNC_ADDON_CORE;
  const { BuildSystem } = require("cmake-js") as typeof import("cmake-js");
  const { cmake } = new BuildSystem({ directory: dir, out, config: "Release", silent: true, noLog: true, cMakeOptions: defines });
  const configure = withNodeAddonApi(await cmake.getConfigureCommand());
  await checkStop();
  runBuildStep(configure, out, "configure", opts.onLine, dir);
  await checkStop();
  if (defines.SNNC_PCH_DIR) {
    const stoppedBy = await ensurePrecompiledHeaders(out, defines.SNNC_PCH_DIR, opts.onLine);
    if (stoppedBy) throw new BuildInterruptedError(dir, stoppedBy);
  }
  const build = await cmake.getBuildCommand();
  await checkStop();
  runBuildStep([...build, "--parallel", "2"], out, "build", opts.onLine, dir);
  const addonPath = findInBuild(out, [`${manifest.module}.node`]);
  if (!addonPath) throw new BuildError(`${dir}: the build finished but produced no ${manifest.module}.node`);
  const written: Stamp = { inputs: stamp, addon: fileDigest(addonPath) };
  writeFileAtomic(stampPath, `${JSON.stringify(written)}\n`);
  return { addonPath, built: true, seconds: (Date.now() - started) / 1000 };
}

function hipCpuOrThrow(): string {
  const support = emulationSupport();
  if (!support.ok) throw new BuildError(`cannot build the emulated CUDA addon: ${support.missing}`);
  return support.hipCpu;
}

function requireTool(cmd: string, args: string[], message: string, dir: string): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  // Ctrl-C reaches the whole process group: a check it stopped is an interrupted build, not a
  // missing tool.
  if (r.signal) throw new BuildInterruptedError(dir, r.signal);
  if (r.error || r.status !== 0) throw new BuildError(message);
}
