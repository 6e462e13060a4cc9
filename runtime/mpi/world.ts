// The MPI world a run belongs to: this process's rank, the job's size, and the few collectives
// data-parallel training uses. Outside an MPI launcher it is SOLO (rank 0 of 1, every collective a
// no-op) and nothing MPI is built or loaded; under one, joinWorld() builds the binding (native/mpi/)
// if needed, loads it and initialises MPI.

import { createRequire } from "node:module";
import { launchedRank } from "./detect.ts";
import { buildMpiBinding } from "./build-binding.ts";

const require = createRequire(import.meta.url);

/** What run.json records about the job (null outside MPI). */
export interface WorldInfo {
  ranks: number;
  /** The MPI library, as MPI_Get_library_version names it. */
  library: string;
  /** Host of each rank, in rank order. */
  hosts: string[];
  /** Whether the MPI library takes device pointers (CUDA-aware). */
  cudaAware: boolean;
  /** Seconds a collective may wait for the slowest rank before the job is stopped. */
  timeoutSeconds: number;
}

export interface World {
  readonly rank: number;
  readonly size: number;
  /** The job, when under MPI. */
  readonly info: WorldInfo | null;
  /** In place, over every rank. `what` names the collective in the sentence a timeout ends with. */
  allreduce(values: Float32Array | Float64Array, op: "sum" | "max", what: string): void;
  /** Float32 values at a native address (a model's gradient arena), summed in place. */
  allreduceAt(address: bigint, floats: number, what: string): void;
  /** Rank 0's values on every rank, in place. */
  broadcast(values: Float32Array | Float64Array, what: string): void;
  /** Waits, without a deadline and with the event loop running, until every rank has arrived. */
  barrier(): Promise<void>;
  /** Ends MPI after a run every rank completed (not after an error: the launcher ends the job then). */
  finalize(): void;
}

/** A process on its own. */
export const SOLO: World = {
  rank: 0,
  size: 1,
  info: null,
  allreduce() {},
  allreduceAt() {},
  broadcast() {},
  barrier: async () => {},
  finalize() {},
};

/** A collective that failed or timed out: the binding's one sentence (which rank did not arrive). */
export class MpiError extends Error {
  readonly userFacing = true;
  override readonly name = "MpiError";
}

/** Default seconds a collective waits (SNNC_MPI_TIMEOUT overrides). A rank that dies is normally
 *  noticed at once by the launcher, which ends the job; the deadline catches a rank that hangs or a
 *  host that drops off the network. */
export const DEFAULT_TIMEOUT_SECONDS = 20;

interface Binding {
  init(): { rank: number; size: number; host: string; library: string; cudaAware: boolean };
  allreduce(values: Float32Array | Float64Array, op: "sum" | "max", timeoutMs: number, what: string): void;
  allreduceAt(address: bigint, count: number, op: "sum", timeoutMs: number, what: string): void;
  broadcast(values: Float32Array | Float64Array, timeoutMs: number, what: string): void;
  startBarrier(): void;
  testBarrier(): boolean;
  finalize(): void;
}

/** SNNC_MPI_TIMEOUT in seconds (a positive number), else the default. */
export function timeoutSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.SNNC_MPI_TIMEOUT;
  if (v === undefined || v.trim() === "") return DEFAULT_TIMEOUT_SECONDS;
  const s = Number(v);
  if (!Number.isFinite(s) || s <= 0) throw new MpiError(`SNNC_MPI_TIMEOUT must be a positive number of seconds, got "${v}"`);
  return s;
}

function collective<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw new MpiError((e as Error).message);
  }
}

class MpiWorld implements World {
  constructor(
    private readonly binding: Binding,
    readonly rank: number,
    readonly size: number,
    readonly info: WorldInfo,
  ) {}

  private get timeoutMs(): number {
    return this.info.timeoutSeconds * 1000;
  }

  allreduce(values: Float32Array | Float64Array, op: "sum" | "max", what: string): void {
    collective(() => this.binding.allreduce(values, op, this.timeoutMs, what));
  }

  allreduceAt(address: bigint, floats: number, what: string): void {
    collective(() => this.binding.allreduceAt(address, floats, "sum", this.timeoutMs, what));
  }

  broadcast(values: Float32Array | Float64Array, what: string): void {
    collective(() => this.binding.broadcast(values, this.timeoutMs, what));
  }

  async barrier(): Promise<void> {
    collective(() => this.binding.startBarrier());
    while (!collective(() => this.binding.testBarrier())) await new Promise((r) => setTimeout(r, 5));
  }

  finalize(): void {
    this.binding.finalize();
  }
}

let joined: World | null = null;

/** This process's world: SOLO outside an MPI launcher, else MPI initialised (once per process). */
export async function joinWorld(env: NodeJS.ProcessEnv = process.env): Promise<World> {
  if (joined) return joined;
  const launched = launchedRank(env);
  if (!launched || launched.size === 1) return (joined = SOLO);
  const seconds = timeoutSeconds(env);
  const binding = require(await buildMpiBinding()) as Binding;
  const me = collective(() => binding.init());
  // Every rank's host, gathered by a sum over one slot each (hosts are short names).
  const hosts = await gatherHosts(binding, me.rank, me.size, me.host, seconds * 1000);
  joined = new MpiWorld(binding, me.rank, me.size, { ranks: me.size, library: me.library, hosts, cudaAware: me.cudaAware, timeoutSeconds: seconds });
  return joined;
}

/** The host name of every rank, in rank order (an all-gather through a sum: each rank fills its row). */
async function gatherHosts(binding: Binding, rank: number, size: number, host: string, timeoutMs: number): Promise<string[]> {
  const width = 64;
  const rows = new Float64Array(size * width);
  const bytes = Buffer.from(host, "utf8").subarray(0, width);
  for (let k = 0; k < bytes.length; k++) rows[rank * width + k] = bytes[k];
  collective(() => binding.allreduce(rows, "sum", timeoutMs, "the start of the job (every rank's host name)"));
  return Array.from({ length: size }, (_, r) => {
    const row = [...rows.subarray(r * width, (r + 1) * width)].filter((b) => b > 0);
    return Buffer.from(row).toString("utf8");
  });
}
