// `snnc train` options that exclude each other whatever the spec says: a usage error (exit 2, the
// rule of docs/cli.md's exit codes: the command line is wrong in itself), found before any file is read. The same
// pairs stay refused by runtime/train for library callers (TrainConfigError, exit 1), where one of
// the two may come from the spec or the checkpoint instead (then the run's settings do not fit).

import { UsageError } from "./fail.ts";

export interface TrainConflictFlags {
  resume?: string;
  init?: string;
  schedule?: string;
  warmupEpochs?: number;
  val?: number;
  earlyStop?: number;
}

export function assertTrainFlagsFit(flags: TrainConflictFlags): void {
  if (flags.init !== undefined && flags.resume !== undefined)
    throw new UsageError("--init and --resume exclude each other: --resume continues a run, --init starts a new one from given weights");
  if (flags.warmupEpochs !== undefined && flags.schedule === "one-cycle")
    throw new UsageError("--warmup-epochs does not apply to --schedule one-cycle (it warms up on its own); use it with constant, step or cosine");
  if (flags.earlyStop !== undefined && flags.val === 0)
    throw new UsageError("--early-stop needs a validation split, but --val is 0; hold some samples out");
}
