// `snnc train <spec>`: build the kernels if stale, train with evaluation each epoch, write the run
// directory (metrics, checkpoints, report). Ctrl-C, SIGTERM or SIGHUP finishes the batch, writes a
// checkpoint and exits 130, 143 or 129; a second signal exits at once. All the work is runtime/train/run-training.ts.
// Under mpirun/srun every rank runs this command; rank 0 alone prints (runtime/mpi/).

import { InvalidArgumentError, Option, type Command } from "commander";
import { SilentExit } from "../fail.ts";
import { assertTimeParallelBackend, positiveInt, timeParallelOption } from "../options.ts";
import { stepLaunchFromFlags, stepLaunchOptions, type StepLaunchFlags } from "../step-launch-flags.ts";
import { assertTrainFlagsFit } from "../train-flag-conflicts.ts";

interface TrainFlags extends StepLaunchFlags {
  backend: "auto" | "cpu" | "cuda";
  epochs?: number;
  batch?: number;
  data?: string;
  limit?: number;
  seed?: number;
  lr?: number;
  resume?: string;
  init?: string;
  out?: string;
  progress: "auto" | "bar" | "lines" | "none";
  timeParallel?: boolean;
  schedule?: "constant" | "step" | "cosine" | "one-cycle";
  warmupEpochs?: number;
  weightDecay?: number;
  val?: number;
  earlyStop?: number;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number ≥ 0, got "${value}"`);
  return n;
}

/** --val: a share of the training split in [0, 1) or a whole number of samples. */
export function validationValue(value: string): number {
  const n = nonNegativeNumber(value);
  if (n >= 1 && !Number.isInteger(n)) throw new InvalidArgumentError(`expected a fraction in [0, 1) or a whole number of samples, got "${value}"`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

export function trainBackendOption(): Option {
  return new Option("--backend <backend>", "kernel backend (auto: cuda when a GPU and nvcc are present, else cpu)")
    .choices(["auto", "cpu", "cuda"])
    .default("auto");
}

export function register(program: Command): void {
  program
    .command("train")
    .description("train a spec's network on its dataset: progress, evaluation each epoch, checkpoints, metrics and an HTML report in runs/")
    .argument("<spec>", "spec file")
    .addOption(trainBackendOption())
    .addOption(timeParallelOption())
    .option("--epochs <n>", "total epochs (default: the spec's training.epochs; on --resume the checkpoint's)", positiveInt)
    .option("--batch <n>", "samples per batch; the model is built for it (default: the spec's training.batch)", positiveInt)
    .option("--data <dir>", "dataset files (IDX for fashion-mnist, required for nmnist and shd)")
    .option("--limit <n>", "train on n samples only (and test on the same share of the test split)", positiveInt)
    .option("--seed <n>", "seed of the initial weights and the shuffles (default: the spec's training.seed)", nonNegativeInt)
    .option("--lr <x>", "Adam learning rate, the schedule's peak (default: the spec's)", positiveNumber)
    .addOption(
      new Option("--schedule <kind>", "learning-rate schedule, per batch (default: the spec's training.schedule, else constant)").choices(["constant", "step", "cosine", "one-cycle"]),
    )
    .option("--warmup-epochs <n>", "linear warm-up over the first n epochs (fractions allowed; constant, step and cosine schedules)", nonNegativeNumber)
    .option("--weight-decay <x>", "AdamW's decoupled weight decay λ (default: the spec's; 0 is plain Adam)", nonNegativeNumber)
    .option("--val <n>", "hold out n training samples, or a share in [0, 1), for validation and model selection; 0 for none (default: the spec's training.validation, else 0.1)", validationValue)
    .option("--early-stop <k>", "stop after k epochs without a better validation accuracy", positiveInt)
    .option("--resume <checkpoint>", "continue from a checkpoint (.safetensors) of the same spec")
    .option("--init <weights>", "start from these weights (.safetensors with the spec's tensors, e.g. from snnc import) with a fresh optimizer")
    .option("--out <dir>", "run directory (default: runs/<model>-<YYYYMMDD-HHMMSS>, or the checkpoint's on --resume)")
    .addOption(stepLaunchOptions()[0])
    .addOption(stepLaunchOptions()[1])
    .addOption(new Option("--progress <mode>", "progress display (auto: a bar on a terminal, else a line every few seconds)").choices(["auto", "bar", "lines", "none"]).default("auto"))
    .addHelpText(
      "after",
      "\nExamples:\n  snnc train models/fmnist.json --epochs 1\n  snnc train models/fmnist.json --epochs 30 --lr 0.001 --schedule cosine --warmup-epochs 1\n  snnc train models/fmnist.json --resume runs/fmnist-20260101-120000/last.safetensors --epochs 40\n  snnc train models/tiny.json --backend cpu --limit 256",
    )
    .action(async (spec: string, flags: TrainFlags) => {
      assertTimeParallelBackend(flags.timeParallel, flags.backend);
      assertTrainFlagsFit(flags);
      const plan = stepLaunchFromFlags(flags, flags.backend);
      const { runTraining } = await import("../../train/run-training.ts");
      const { installStopSignals } = await import("../../train/interrupt.ts");
      const { joinWorld } = await import("../../mpi/world.ts");
      const { quietUnlessRoot } = await import("../../mpi/quiet-ranks.ts");
      const world = await joinWorld();
      const stop = world.rank === 0 ? installStopSignals() : installStopSignals(() => {});
      try {
        const result = await quietUnlessRoot(world, () => runTraining({
          specPath: spec,
          backend: flags.backend,
          timeParallel: flags.timeParallel,
          plan,
          epochs: flags.epochs,
          batch: flags.batch,
          dataDir: flags.data,
          limit: flags.limit,
          seed: flags.seed,
          lr: flags.lr,
          recipe: {
            schedule: flags.schedule === "one-cycle" ? "one_cycle" : flags.schedule,
            warmupEpochs: flags.warmupEpochs,
            weightDecay: flags.weightDecay,
            validation: flags.val,
            earlyStop: flags.earlyStop,
          },
          resume: flags.resume,
          init: flags.init,
          out: flags.out,
          progress: flags.progress,
          stop,
          world,
        }));
        // Every rank finished the same run (or stopped after the same batch): end MPI together.
        world.finalize();
        if (result.status === "interrupted") {
          if (stop.signal === "SIGHUP") {
            // The terminal is gone: end the way SIGHUP ends a process (the shell reports 129).
            // Exiting normally would make Node restore the vanished terminal's modes and abort.
            stop.dispose();
            process.kill(process.pid, "SIGHUP");
          }
          throw new SilentExit(stop.exitCode);
        }
      } finally {
        stop.dispose();
      }
    });
}
