// The parts of data-parallel training that need no MPI: how a batch is split over ranks, how a
// launcher is recognised, which GPU a rank takes, and the collective deadline's setting.

import { describe, expect, it } from "vitest";
import { shardCapacity, shardRange } from "../../runtime/mpi/data-parallel.ts";
import { launchedRank } from "../../runtime/mpi/detect.ts";
import { localRank, pinGpu } from "../../runtime/mpi/gpu-per-rank.ts";
import { DEFAULT_TIMEOUT_SECONDS, timeoutSeconds } from "../../runtime/mpi/world.ts";

describe("shardRange", () => {
  it("splits as OpenMP's static schedule does: contiguous, the first n mod size shares one longer", () => {
    expect([0, 1].map((r) => shardRange(0, 5, r, 2))).toEqual([[0, 3], [3, 5]]);
    expect([0, 1, 2].map((r) => shardRange(10, 18, r, 3))).toEqual([[10, 13], [13, 16], [16, 18]]);
    expect([0, 1].map((r) => shardRange(7, 8, r, 2))).toEqual([[7, 8], [8, 8]]); // a last batch of one sample
  });

  it("covers every sample once for any batch and rank count", () => {
    for (let size = 1; size <= 5; size++)
      for (let n = 0; n <= 13; n++) {
        const parts = Array.from({ length: size }, (_, r) => shardRange(3, 3 + n, r, size));
        expect(parts[0][0]).toBe(3);
        for (let r = 1; r < size; r++) expect(parts[r][0]).toBe(parts[r - 1][1]);
        expect(parts[size - 1][1]).toBe(3 + n);
        expect(Math.max(...parts.map(([a, b]) => b - a))).toBe(n === 0 ? 0 : shardCapacity(n, size));
      }
  });
});

describe("launchedRank", () => {
  it("recognises Open MPI, MPICH/PMI and srun with PMIx, and nothing else", () => {
    expect(launchedRank({ OMPI_COMM_WORLD_RANK: "1", OMPI_COMM_WORLD_SIZE: "4" })).toEqual({ rank: 1, size: 4, by: "OMPI_COMM_WORLD_RANK" });
    expect(launchedRank({ PMI_RANK: "0", PMI_SIZE: "2" })).toMatchObject({ rank: 0, size: 2 });
    expect(launchedRank({ PMIX_RANK: "3", SLURM_NTASKS: "8" })).toMatchObject({ rank: 3, size: 8 });
    expect(launchedRank({ SLURM_PROCID: "0", SLURM_NTASKS: "2" })).toBeNull(); // srun without an MPI plugin
    expect(launchedRank({})).toBeNull();
    expect(launchedRank({ OMPI_COMM_WORLD_RANK: "1", OMPI_COMM_WORLD_SIZE: "2", SNNC_MPI: "0" })).toBeNull();
  });
});

describe("pinGpu", () => {
  it("gives each rank of a host the GPU of its local rank, round-robin, unless CUDA_VISIBLE_DEVICES is set", () => {
    const env: NodeJS.ProcessEnv = { OMPI_COMM_WORLD_LOCAL_RANK: "5" };
    expect(pinGpu(env, () => 4)).toEqual({ how: "local-rank", device: 1, of: 4, visible: "1" });
    expect(env.CUDA_VISIBLE_DEVICES).toBe("1");
    expect(pinGpu({ SLURM_LOCALID: "0", CUDA_VISIBLE_DEVICES: "2,3" }, () => 4)).toEqual({ how: "preset", visible: "2,3" });
    expect(pinGpu({ OMPI_COMM_WORLD_LOCAL_RANK: "0" }, () => 0)).toBeNull();
    expect(localRank({ MPI_LOCALRANKID: "2" })).toBe(2);
  });
});

describe("SNNC_MPI_TIMEOUT", () => {
  it("takes positive seconds and refuses anything else in one sentence", () => {
    expect(timeoutSeconds({})).toBe(DEFAULT_TIMEOUT_SECONDS);
    expect(timeoutSeconds({ SNNC_MPI_TIMEOUT: "2.5" })).toBe(2.5);
    expect(() => timeoutSeconds({ SNNC_MPI_TIMEOUT: "0" })).toThrow('SNNC_MPI_TIMEOUT must be a positive number of seconds, got "0"');
  });
});
