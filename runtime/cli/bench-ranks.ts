// `snnc bench` run by an MPI launcher (mpirun -np N npx snnc bench …): every rank times the same
// data-parallel steps (runtime/bench/reduce-bench.ts) and rank 0 prints what the gradient reduce
// costs: bytes per step and its share of the step at N ranks. The sparse/dense comparison and the
// PyTorch peer are a single process's (run without the launcher for those).

import type { Network } from "../../compiler/ir/types.ts";
import type { ActivityTarget } from "../bench/calibrate.ts";
import type { ReduceTiming } from "../bench/reduce-bench.ts";
import type { SpikeBatch } from "../data/spike-batch.ts";
import type { BackendChoice } from "../model/open-model.ts";
import type { World } from "../mpi/world.ts";
import { table } from "./table.ts";
import { withSpecFile } from "./options.ts";

export interface RanksBenchFlags {
  backend: BackendChoice;
  batch?: number;
  reps: number;
  warmup: number;
  data?: string;
  json?: boolean;
  out?: string;
  activity: ActivityTarget | null;
}

export const REDUCE_BENCH_FORMAT = "snnc-bench-ranks/1";

export async function benchRanks(
  files: string[],
  flags: RanksBenchFlags,
  world: World,
  batchFor: (net: Network, B: number, dir?: string) => Promise<{ batch: SpikeBatch; source: string }>,
): Promise<void> {
  const { openLoweredNetwork } = await import("../model/open-model.ts");
  const { loadNetwork, sourceLabel } = await import("../../compiler/pipeline.ts");
  const { benchReduce } = await import("../bench/reduce-bench.ts");
  const { machineInfo } = await import("../bench/run-bench.ts");
  const { writeFileAtomic } = await import("../../compiler/util/atomic-write.ts");
  const root = world.rank === 0;
  const say = (s: string) => root && (flags.json ? process.stderr : process.stdout).write(`${s}\n`);
  const machine = machineInfo();
  const info = world.info!;
  say(`mpi: ${info.ranks} ranks (${[...new Set(info.hosts)].join(", ")}), ${info.library}; rank 0's machine: ${machine.cpu}, ${machine.cores} cores`);
  const configs: ReduceTiming[] = [];
  for (const file of files) {
    const net = withSpecFile(file, () => loadNetwork(file));
    // Rank 0 builds; the others then find its build (or build their own without a shared folder).
    if (!root) await world.barrier();
    const opened = await withSpecFile(file, () => openLoweredNetwork(net, sourceLabel(file), { backend: flags.backend }));
    if (root) await world.barrier();
    const B = flags.batch ?? net.training.batch;
    const input = await batchFor(net, B, flags.data);
    say(`${net.name} on ${opened.backend}: global batch ${B} over ${world.size} ranks, input: ${input.source}`);
    configs.push(benchReduce(opened, input.batch, world, { warmup: flags.warmup, reps: flags.reps, activity: flags.activity }));
  }
  const json = { format: REDUCE_BENCH_FORMAT, date: new Date().toISOString(), machine, mpi: info, reps: flags.reps, warmup: flags.warmup, configs };
  if (!root) return;
  if (flags.out) writeFileAtomic(flags.out, `${JSON.stringify(json, null, 2)}\n`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  process.stdout.write(ranksText(configs, flags.reps, flags.warmup));
}

const ms = (x: number) => (x >= 100 ? x.toFixed(1) : x.toFixed(3));

/** The table rank 0 prints. */
export function ranksText(cs: ReduceTiming[], reps: number, warmup: number): string {
  return (
    `\nOne data-parallel training step (each rank: its share forward + backward, then the gradient reduce, the stats reduce and Adam); ` +
    `median of ${reps} after ${warmup} warm-up, rank 0's wall time:\n` +
    table(
      [
        "model",
        { header: "ranks", align: "right" },
        { header: "batch", align: "right" },
        { header: "per rank", align: "right" },
        { header: "active %", align: "right" },
        { header: "reduce KiB/step", align: "right" },
        "route",
        { header: "step ms", align: "right" },
        { header: "reduce ms", align: "right" },
        { header: "reduce share", align: "right" },
      ],
      cs.map((c) => [
        c.model,
        String(c.ranks),
        String(c.batch),
        String(c.share),
        (100 * c.activeFraction).toFixed(2),
        (c.bytesPerStep / 1024).toFixed(1),
        c.route,
        ms(c.stepMs.median),
        ms(c.reduceMs.median),
        `${c.sharePct.toFixed(1)}%`,
      ]),
      { indent: "  " },
    ) +
    `\n  The reduce's time includes waiting for the slowest rank. One process's step: the same command without the launcher.\n`
  );
}
