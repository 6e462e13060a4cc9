// From a spec file to a ready model on the best backend: choose the backend, compile and build
// if the cached build is stale, load the addon. `auto` picks CUDA only when both a GPU and nvcc
// are present, so a machine without a GPU never tries to load a CUDA addon.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Network } from "../../compiler/ir/types.ts";
import { compileNetwork, loadNetwork, sourceLabel } from "../../compiler/pipeline.ts";
import { buildAddon, buildIsCurrent } from "../../compiler/build/build-addon.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import type { StepLaunchOptions } from "../../compiler/plan/plan-options.ts";
import { BACKENDS } from "../../compiler/backends/index.ts";
import { cudaKernelsGpuChecked } from "../../compiler/backends/cuda/gpu-checked.ts";
import { loadAddon, type NativeAddon } from "./native.ts";
import { SnnModel, type ModelOptions } from "./snn-model.ts";
import { AddonLoadError } from "./native.ts";

export type BackendChoice = "auto" | "cpu" | "cuda";

export interface OpenOptions {
  backend?: BackendChoice;
  /** CUDA only, experimental: time-parallel input currents (`--time-parallel`), built into their
   *  own folder. `auto` never turns them on; asked for, they need the CUDA backend. */
  timeParallel?: boolean;
  /** CUDA step launch options (compiler/plan/plan-options.ts): built into their own folder. */
  plan?: StepLaunchOptions;
  cudaArch?: string;
  cpuFlags?: string;
  /** Progress: "wait" while another process builds the same folder, "start" before a build that
   *  has work to do, "done" always (reused: nothing was built). */
  onBuild?: (event: { phase: "wait" | "start" | "done"; backend: "cpu" | "cuda"; seconds?: number; reused?: boolean }) => void;
  /** The signal a stop was asked by, or null: a build in progress ends as interrupted at its next
   *  step (BuildInterruptedError) instead of running to the end (compiler/build/build-addon.ts). */
  stopRequested?: () => NodeJS.Signals | null;
}

export interface OpenedNetwork {
  network: Network;
  backend: "cpu" | "cuda";
  /** Built with time-parallel input currents (CUDA, `--time-parallel`). */
  timeParallel: boolean;
  addon: NativeAddon;
  addonPath: string;
  /** A new model instance (own buffers and weights) on this addon. */
  create(opts?: ModelOptions): SnnModel;
}

/** Whether this machine has an NVIDIA GPU with a driver (device node present or nvidia-smi lists one). */
export function gpuPresent(): boolean {
  if (process.env.SNNC_NO_GPU === "1") return false;
  if (existsSync("/dev/nvidia0")) return true;
  const r = spawnSync("nvidia-smi", ["-L"], { encoding: "utf8" });
  return r.status === 0 && /GPU \d+:/.test(r.stdout);
}

function nvccPresent(): boolean {
  return spawnSync("nvcc", ["--version"], { encoding: "utf8" }).status === 0;
}

/** What "auto" decides from: whether the CUDA backend generates the network, a GPU and nvcc are
 *  here, and these CUDA kernels have passed the GPU check. */
export interface AutoFacts {
  cudaGenerates: boolean;
  gpu: boolean;
  nvcc: boolean;
  gpuChecked: boolean;
}

/** "auto": CUDA only when the CUDA backend generates the network, a GPU and nvcc are present, and
 *  the kernels as they are in this checkout passed the GPU check; else the CPU. With the reason. */
export function autoBackend(f: AutoFacts): { backend: "cpu" | "cuda"; reason: string } {
  if (!f.cudaGenerates) return { backend: "cpu", reason: "the CUDA backend does not generate this network yet" };
  if (!f.gpu || !f.nvcc) return { backend: "cpu", reason: "no GPU with nvcc here" };
  if (!f.gpuChecked)
    return { backend: "cpu", reason: "these CUDA kernels have not passed the GPU check yet; pass --backend cuda to use them anyway" };
  return { backend: "cuda", reason: "GPU and nvcc found, CUDA kernels GPU-checked" };
}

/** The facts of this machine and checkout (cheap checks first: no GPU means no nvcc lookup). */
export function autoFacts(network?: Network): AutoFacts {
  const cudaGenerates = !network || !cpuOnly(network);
  const gpu = cudaGenerates && gpuPresent();
  const nvcc = gpu && nvccPresent();
  return { cudaGenerates, gpu, nvcc, gpuChecked: nvcc && cudaKernelsGpuChecked() };
}

/** The backend for `choice` ("auto": see autoBackend). */
export function chooseBackend(choice: BackendChoice = "auto", network?: Network): "cpu" | "cuda" {
  return choice !== "auto" ? choice : autoBackend(autoFacts(network)).backend;
}

/** Whether only the CPU backend generates the network (the CUDA backend's capabilities say why not). */
export function cpuOnly(network: Network): boolean {
  return BACKENDS.cuda.unsupported(buildPlan(network)) !== undefined;
}

export async function openNetwork(specPath: string, opts: OpenOptions = {}): Promise<OpenedNetwork> {
  const network = loadNetwork(specPath);
  return openLoweredNetwork(network, sourceLabel(specPath), opts);
}

/** `--backend cuda` on a machine without a GPU: said before anything is built (the addon would
 *  build for seconds and then refuse to create a model with this same sentence). */
export class NoCudaDeviceError extends Error {
  readonly userFacing = true;
  override readonly name = "NoCudaDeviceError";
  constructor() {
    super("no CUDA device is available (no NVIDIA GPU or driver found on this machine); use --backend cpu");
  }
}

/** `--time-parallel` where the backend is (or `auto` chose) the CPU: a usage error (exit 2). */
export class TimeParallelBackendError extends Error {
  readonly userFacing = true;
  readonly exitCode = 2;
  override readonly name = "TimeParallelBackendError";
  constructor(choice: BackendChoice) {
    super(
      choice === "cpu"
        ? "--time-parallel is CUDA only and cannot be used with --backend cpu"
        : "--time-parallel is CUDA only, and --backend auto chose the CPU here; pass --backend cuda",
    );
  }
}

export async function openLoweredNetwork(network: Network, source: string, opts: OpenOptions = {}): Promise<OpenedNetwork> {
  const backend = chooseBackend(opts.backend, network);
  if (opts.timeParallel && backend !== "cuda") throw new TimeParallelBackendError(opts.backend ?? "auto");
  if (backend === "cuda" && !gpuPresent()) throw new NoCudaDeviceError();
  const { dir } = compileNetwork(network, backend, source, undefined, undefined, { timeParallel: opts.timeParallel, ...opts.plan });
  const buildOpts = { cudaArch: opts.cudaArch, cpuFlags: opts.cpuFlags, onWait: () => opts.onBuild?.({ phase: "wait", backend }), stopRequested: opts.stopRequested };
  if (!buildIsCurrent(dir, buildOpts)) opts.onBuild?.({ phase: "start", backend });
  const built = await buildAddon(dir, buildOpts);
  opts.onBuild?.({ phase: "done", backend, seconds: built.seconds, reused: !built.built });
  const addon = loadAddonOrHint(built.addonPath, backend);
  return { network, backend, timeParallel: opts.timeParallel === true, addon, addonPath: built.addonPath, create: (o) => new SnnModel(network, addon, o) };
}

/** loadAddon, with what to do when the file will not load (corrupt, or built elsewhere). */
export function loadAddonOrHint(path: string, backend: "cpu" | "cuda"): NativeAddon {
  try {
    return loadAddon(path);
  } catch (e) {
    if (e instanceof AddonLoadError) throw new AddonLoadError(`${e.message}; rebuild it with \`snnc build <spec> --backend ${backend} --force\``);
    throw e;
  }
}
