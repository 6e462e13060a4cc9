// `snnc import <file.nir> --dt-ms <Δt>`: a NIR graph as an snnc spec and weights. All the work is
// runtime/nir/run-import.ts; the conventions are README "NIR".

import { InvalidArgumentError, Option, type Command } from "commander";
import { MAX_STEPS } from "../../../compiler/spec/limits.ts";
import schema from "../../../compiler/spec/snnc-spec.schema.json" with { type: "json" };
import { positiveInt } from "../options.ts";
import { positiveNumber } from "./train.ts";

// --steps and --name go into the spec as they are: checked here against the spec's own bounds, a
// wrong value is a usage error (exit 2) naming the flag, not an invalid import blamed on the file.
const SPEC_NAME = new RegExp(schema.properties.name.pattern);

function stepsValue(value: string): number {
  const n = positiveInt(value);
  if (n < 2 || n > MAX_STEPS) throw new InvalidArgumentError(`expected 2 … ${MAX_STEPS} time steps, got "${value}"`);
  return n;
}

function specName(value: string): string {
  if (!SPEC_NAME.test(value)) throw new InvalidArgumentError(`a spec name starts with a letter and holds only letters, digits, "_" and "-" (at most 64 characters), got "${value}"`);
  return value;
}

interface ImportFlags {
  dtMs: number;
  discretization: "exact" | "euler";
  reset: "subtract" | "to_reset";
  ifGain: "literal" | "per-step";
  out?: string;
  force?: boolean;
  name?: string;
  steps?: number;
}

export function register(program: Command): void {
  program
    .command("import")
    .description("import a NIR graph (snnTorch, Norse, Sinabs, Rockpool, Spyx, …) as a spec and a weights file")
    .argument("<file>", "NIR file (.nir, HDF5)")
    .requiredOption("--dt-ms <dt>", "simulation step in ms (NIR files do not store it; τ in the file are in seconds)", positiveNumber)
    .addOption(new Option("--discretization <how>", "exact: α = exp(−dt/τ); euler: α = 1 − dt/τ (snnTorch, Norse)").choices(["exact", "euler"]).default("exact"))
    .addOption(
      new Option("--reset <mode>", "subtract: V −= V_th − V_reset at the next step (snnTorch); to_reset: restart from v_reset (NIR, Norse: same spikes)")
        .choices(["subtract", "to_reset"])
        .default("subtract"),
    )
    .addOption(new Option("--if-gain <how>", "IF nodes: literal v += dt·r·I (NIR's definition) or per-step v += r·I (Sinabs)").choices(["literal", "per-step"]).default("literal"))
    .option("--out <spec.json>", "spec to write (a .json name); the weights go beside it as .safetensors (default: <file name>.json here)")
    .option("--force", "replace an existing spec and weights file (never the input)")
    .option("--name <name>", "the spec's name (default: the file's)", specName)
    .option("--steps <n>", "time steps per sample (default: the exporter's when snnc wrote the file, else 100)", stepsValue)
    .addHelpText("after", "\nExamples:\n  snnc import lif.nir --dt-ms 1 --discretization euler --out models/lif.json\n  snnc train models/lif.json --init models/lif.safetensors")
    .action(async (file: string, flags: ImportFlags) => {
      const { runImport } = await import("../../nir/run-import.ts");
      await runImport({ file, dtMs: flags.dtMs, discretization: flags.discretization, reset: flags.reset, ifGain: flags.ifGain, out: flags.out, force: flags.force, name: flags.name, steps: flags.steps });
    });
}
