// `snnc bench <spec>`: one training step (forward + loss + backward + Adam) timed on the chosen
// backend, sparse against dense, with per-kernel times, the per-layer backward ratio and memory.
// Timing lives here, never in a test's pass/fail.

import type { Command } from "commander";
import { Option } from "commander";
import type { Network } from "../../../compiler/ir/types.ts";
import type { StepTiming } from "../../bench/bench.ts";
import type { SpikeBatch } from "../../data/spike-batch.ts";
import type { BackendChoice } from "../../model/open-model.ts";
import { positiveInt, withSpecFile } from "../options.ts";
import { table } from "../table.ts";

interface BenchFlags {
  backend: BackendChoice;
  batch?: number;
  reps: number;
  warmup: number;
  data?: string;
  json?: boolean;
  out?: string;
}

export function register(program: Command): void {
  program
    .command("bench")
    .description("time one training step, sparse against dense backward, with per-kernel times and memory")
    .argument("<spec>", "spec file")
    .addOption(new Option("--backend <backend>", "kernel backend").choices(["auto", "cpu", "cuda"]).default("auto"))
    .option("--batch <n>", "batch size (default: the spec's)", positiveInt)
    .option("--reps <n>", "timed repetitions (the median is reported)", positiveInt, 20)
    .option("--warmup <n>", "untimed repetitions first", positiveInt, 3)
    .option("--data <dir>", "dataset folder (N-MNIST, SHD; Fashion-MNIST is built in); without it, random spikes at the data set's typical density")
    .option("--json", "print the results as JSON")
    .option("--out <file>", "also write the results as JSON to this file (e.g. runs/<run>/bench.json for the report)")
    .addHelpText("after", "\nExamples:\n  snnc bench models/fmnist.json --backend cpu --batch 256\n  snnc bench models/shd.json --backend cuda")
    .action(async (spec: string, flags: BenchFlags) => {
      // Loaded here, not at the top: every other command would pay for the compiler and the
      // native-build modules.
      const { openNetwork } = await import("../../model/open-model.ts");
      const { buildPlan } = await import("../../../compiler/plan/build-plan.ts");
      const { backwardRatios, benchTrainStep } = await import("../../bench/bench.ts");
      const { writeFileAtomic } = await import("../../../compiler/util/atomic-write.ts");
      const { summariseMemory } = await import("../memory.ts");
      const say = (s: string) => (flags.json ? process.stderr : process.stdout).write(`${s}\n`);
      const opened = await withSpecFile(spec, () =>
        openNetwork(spec, {
          backend: flags.backend,
          onBuild: (e) => e.phase === "done" && say(e.reused ? `${e.backend} kernels up to date` : `built the ${e.backend} kernels in ${e.seconds?.toFixed(1)} s`),
        }),
      );
      const net = opened.network;
      const B = flags.batch ?? net.training.batch;
      const { batch, source } = await benchBatch(net, B, flags.data);
      say(`${net.name} on ${opened.backend}: batch ${B}, T=${net.steps}, input: ${source}`);
      const timings: Record<"sparse" | "dense", StepTiming> = {} as never;
      for (const mode of ["sparse", "dense"] as const) {
        const model = opened.create({ batch: B, backward: mode });
        try {
          timings[mode] = benchTrainStep(model, batch, {
            warmup: flags.warmup,
            reps: flags.reps,
            onRep: (k, n) => process.stderr.isTTY && process.stderr.write(`\r  ${mode}: ${k}/${n}`),
          });
          if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
        } finally {
          model.dispose();
        }
      }
      const memory = summariseMemory(buildPlan(net, B));
      const ratios = backwardRatios(timings.sparse, timings.dense);
      const result = { model: net.name, backend: opened.backend, batch: B, steps: net.steps, input: source, timings, ratios, memory };
      if (flags.out) writeFileAtomic(flags.out, `${JSON.stringify(result, null, 2)}\n`);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const ms = (x: number) => x.toFixed(3);
      process.stdout.write(
        `\nOne training step (forward + loss + backward + Adam), median of ${flags.reps} after ${flags.warmup} warm-up:\n` +
          table(
            ["path", { header: "step ms", align: "right" }, { header: "p10–p90 ms", align: "right" }, { header: "kernels ms", align: "right" }, { header: "active %", align: "right" }, { header: "allocated MiB", align: "right" }],
            (["sparse", "dense"] as const).map((m) => {
              const t = timings[m];
              return [m, ms(t.stepMs.median), `${ms(t.stepMs.p10)}–${ms(t.stepMs.p90)}`, ms(t.kernelMs), (100 * t.activeFraction).toFixed(2), (t.bufferBytes / 2 ** 20).toFixed(1)];
            }),
            { indent: "  " },
          ) +
          `\nBackward per layer:\n` +
          table(
            ["layer", { header: "sparse ms", align: "right" }, { header: "dense ms", align: "right" }, { header: "sparse/dense", align: "right" }],
            ratios.map((r) => [r.layer, ms(r.sparseMs), ms(r.denseMs), r.ratio.toFixed(3)]),
            { indent: "  " },
          ) +
          `\nBackward-only memory (plan, batch ${B}): sparse ${(memory.sparse.backwardOnly / 2 ** 20).toFixed(1)} MiB, dense ${(memory.dense.backwardOnly / 2 ** 20).toFixed(1)} MiB (${(100 * memory.backwardSaving).toFixed(1)}% less)\n` +
          `\nKernels (sparse path):\n` +
          table(["kernel", { header: "ms", align: "right" }], timings.sparse.kernels.map(([n, t]) => [n, ms(t)]), { indent: "  " }),
      );
    });
}

/** The first B test samples of the spec's data set, or random spikes at its typical density. */
async function benchBatch(net: Network, B: number, dir?: string): Promise<{ batch: SpikeBatch; source: string }> {
  const { randomSpikeBatch, TYPICAL_DENSITY } = await import("../../bench/synthetic-batch.ts");
  const { packBatch } = await import("../../data/spike-batch.ts");
  const { loadNetworkData } = await import("../../train/data.ts");
  const needsDir = net.input.dataset === "nmnist" || net.input.dataset === "shd";
  if (!needsDir || dir) {
    const data = await loadNetworkData(net, { dir });
    const n = Math.min(B, data.test.length);
    return { batch: packBatch(Array.from({ length: B }, (_, k) => data.test.get(k % n)), net.steps, net.input.size), source: data.source };
  }
  const density = TYPICAL_DENSITY[net.input.dataset] ?? 0.02;
  return {
    batch: randomSpikeBatch(B, net.steps, net.input.size, net.classes, density, 1),
    source: `random spikes at density ${density} (no --data given for ${net.input.dataset})`,
  };
}
