// `snnc eval <spec> <checkpoint>`: test accuracy and loss of a checkpoint's weights.

import type { Command } from "commander";
import { positiveInt } from "../options.ts";
import { trainBackendOption } from "./train.ts";

interface EvalFlags {
  backend: "auto" | "cpu" | "cuda";
  data?: string;
  limit?: number;
  batch?: number;
}

export function register(program: Command): void {
  program
    .command("eval")
    .description("evaluate a checkpoint on the test split: accuracy, loss and per-layer activity")
    .argument("<spec>", "spec file the checkpoint was trained with")
    .argument("<checkpoint>", "checkpoint file (.safetensors) written by snnc train")
    .addOption(trainBackendOption())
    .option("--data <dir>", "dataset files (IDX for fashion-mnist, required for nmnist and shd)")
    .option("--limit <n>", "evaluate n test samples only", positiveInt)
    .option("--batch <n>", "samples per forward batch (default: the checkpoint's)", positiveInt)
    .addHelpText("after", "\nExample:\n  snnc eval models/fmnist.json runs/fmnist-20260101-120000/last.safetensors")
    .action(async (spec: string, checkpoint: string, flags: EvalFlags) => {
      const { runEval } = await import("../../train/run-eval.ts");
      await runEval({ specPath: spec, checkpoint, backend: flags.backend, dataDir: flags.data, limit: flags.limit, batch: flags.batch });
    });
}
