// `snnc export <spec> --out <file.nir>`: a network and its weights as a NIR graph. All the work is
// runtime/nir/run-export.ts; what the file records is docs/nir.md ("What an export records, and
// importing snnc's own files").

import { Option, type Command } from "commander";
import { SUPPORTED_RESETS, type ResetMode } from "../../../compiler/nir/conventions.ts";
import { positiveNumber } from "./train.ts";

interface ExportFlags {
  checkpoint?: string;
  out: string;
  dtMs?: number;
  discretization: "exact" | "euler";
  reset?: ResetMode;
  ifGain: "literal" | "per-step";
}

export function register(program: Command): void {
  program
    .command("export")
    .description("export a network and its trained weights as a NIR graph (gzip HDF5)")
    .argument("<spec>", "spec file")
    .option("--checkpoint <file>", "weights to export: a checkpoint of this spec (.safetensors; default: the spec's seeded initial weights)")
    .requiredOption("--out <file.nir>", "NIR file to write")
    .option("--dt-ms <dt>", "the step the file's τ are written for (default: the spec's time.dt_ms; α per step is kept)", positiveNumber)
    .addOption(new Option("--discretization <how>", "how readers turn τ into α: exact (exp(−dt/τ)) or euler (1 − dt/τ)").choices(["exact", "euler"]).default("exact"))
    .addOption(new Option("--reset <mode>", "the reset every spiking layer uses (recorded in the metadata; default: the spec's)").choices([...SUPPORTED_RESETS]))
    .addOption(new Option("--if-gain <how>", "IF nodes' r for readers that take v += dt·r·I (literal, NIR's definition) or v += r·I (per-step, Sinabs)").choices(["literal", "per-step"]).default("literal"))
    .addHelpText("after", "\nExample:\n  snnc export models/fmnist.json --checkpoint runs/fmnist-20260101-120000/last.safetensors --out fmnist.nir")
    .action(async (spec: string, flags: ExportFlags) => {
      const { runExport } = await import("../../nir/run-export.ts");
      await runExport({ specPath: spec, checkpoint: flags.checkpoint, out: flags.out, dtMs: flags.dtMs, discretization: flags.discretization, reset: flags.reset, ifGain: flags.ifGain });
    });
}
