// Several GPUs on a host: each rank of a data-parallel job takes one, by its rank on that host,
// through CUDA_VISIBLE_DEVICES, which the CUDA runtime reads when it starts in this process (when
// the first CUDA model is created, after this runs). A CUDA_VISIBLE_DEVICES already set (by the
// user, or by a scheduler such as Slurm's --gpus-per-task) is left as it is. Ranks beyond the
// host's GPU count share them round-robin.

import { spawnSync } from "node:child_process";

/** This process's rank among the job's processes on its host, as the launcher announced it. */
export function localRank(env: NodeJS.ProcessEnv = process.env): number | null {
  for (const name of ["OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID", "PMI_LOCAL_RANK"]) {
    const v = env[name];
    if (v !== undefined && /^\d+$/.test(v)) return Number(v);
  }
  return null;
}

/** NVIDIA GPUs on this host (nvidia-smi -L), 0 without a driver. */
export function gpuCount(): number {
  const r = spawnSync("nvidia-smi", ["-L"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n").filter((l) => /^GPU \d+:/.test(l)).length : 0;
}

export interface GpuChoice {
  /** "local-rank": this rank took device `device` of `of`; "preset": CUDA_VISIBLE_DEVICES was set already. */
  how: "local-rank" | "preset";
  device?: number;
  of?: number;
  visible: string;
}

/** Points this rank at its GPU (see above); null when there is nothing to choose. */
export function pinGpu(env: NodeJS.ProcessEnv = process.env, count: () => number = gpuCount): GpuChoice | null {
  if (env.CUDA_VISIBLE_DEVICES !== undefined) return { how: "preset", visible: env.CUDA_VISIBLE_DEVICES };
  const local = localRank(env);
  const n = local === null ? 0 : count();
  if (local === null || n === 0) return null;
  const device = local % n;
  env.CUDA_VISIBLE_DEVICES = String(device);
  return { how: "local-rank", device, of: n, visible: String(device) };
}
