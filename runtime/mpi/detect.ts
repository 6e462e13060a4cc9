// Whether this process was started by an MPI launcher (mpirun/mpiexec of Open MPI or MPICH, srun
// with a PMI plugin). Only then is the MPI binding built and loaded: a user without MPI never
// touches it. The launchers say so in the environment before MPI_Init runs.

export interface LaunchedRank {
  /** This process's rank and the job's size, as the launcher announced them (null where it did not). */
  rank: number | null;
  size: number | null;
  /** The variable that told. */
  by: string;
}

const RANK_SIZE: [string, string][] = [
  ["OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"], // Open MPI's mpirun
  ["PMI_RANK", "PMI_SIZE"], // MPICH's hydra, Intel MPI, srun --mpi=pmi2
  ["PMIX_RANK", "SLURM_NTASKS"], // srun --mpi=pmix (PMIx gives the rank only)
];

function count(v: string | undefined): number | null {
  if (v === undefined || !/^\d+$/.test(v.trim())) return null;
  return Number(v);
}

/** The launcher's announcement, or null when this process runs on its own (or SNNC_MPI=0). */
export function launchedRank(env: NodeJS.ProcessEnv = process.env): LaunchedRank | null {
  if (env.SNNC_MPI === "0") return null;
  for (const [rank, size] of RANK_SIZE)
    if (env[rank] !== undefined) return { rank: count(env[rank]), size: count(env[size]), by: rank };
  return null;
}
