// `snnc import <file.nir> --from <framework> [--dt-ms <Δt>]`: a NIR graph as an snnc spec and weights. All
// the work is runtime/nir/run-import.ts; the conventions are compiler/nir/frameworks.ts and docs/nir.md
// ("Name the framework that wrote the file", "What each framework's simulator does").

import { InvalidArgumentError, Option, type Command } from "commander";
import { MAX_STEPS } from "../../../compiler/spec/limits.ts";
import schema from "../../../compiler/spec/snnc-spec.schema.json" with { type: "json" };
import { positiveInt } from "../options.ts";
import { IF_GAINS, SUPPORTED_RESETS } from "../../../compiler/nir/conventions.ts";
import { FRAMEWORKS, type ConventionRequest } from "../../../compiler/nir/frameworks.ts";
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

interface ImportFlags extends ConventionRequest {
  out?: string;
  force?: boolean;
  name?: string;
  steps?: number;
  learnTau?: boolean;
}

export function register(program: Command): void {
  program
    .command("import")
    .description("import a NIR graph (snnTorch, Norse, Sinabs, Rockpool, Spyx, …) as a spec and a weights file")
    .argument("<file>", "NIR file (.nir, HDF5)")
    .addOption(
      new Option("--from <framework>", "the framework that wrote the file: its simulator's discretisation, reset, IF and input gain (default: the file's metadata, else NIR's definitions)").choices([
        ...FRAMEWORKS,
      ]),
    )
    .option("--dt-ms <dt>", "simulation step in ms (NIR files do not store it; τ in the file are in seconds; default: what --from implies)", positiveNumber)
    .addOption(new Option("--discretization <how>", "exact: α = exp(−dt/τ); euler: α = 1 − dt/τ (default: --from's, else exact)").choices(["exact", "euler"]))
    .addOption(
      new Option(
        "--reset <mode>",
        "subtract: V −= V_th − V_reset at the next step; subtract_same_step: in the step of the spike; to_reset: restart from v_reset (default: --from's, else subtract)",
      ).choices([...SUPPORTED_RESETS]),
    )
    .addOption(new Option("--if-gain <how>", "IF nodes: literal v += dt·r·I (NIR's definition) or per-step v += r·I (default: --from's, else literal)").choices([...IF_GAINS]))
    .addOption(new Option("--input-gain <how>", "nir: W·r·(1 − α) as NIR defines it; one: W as it is, r and w_in unused (default: --from's, else nir)").choices(["nir", "one"]))
    .option("--out <spec.json>", "spec to write (a .json name); the weights go beside it as .safetensors (default: <file name>.json here)")
    .option("--force", "replace an existing spec and weights file (never the input)")
    .option("--name <name>", "the spec's name (default: the file's)", specName)
    .option("--steps <n>", "time steps per sample (default: the exporter's when snnc wrote the file, else 100)", stepsValue)
    .option("--learn-tau", "a τ that varies over a layer's neurons in the file becomes a trained per-neuron τ (default: fixed)")
    .addHelpText(
      "after",
      "\nExamples:\n  snnc import lif.nir --from rockpool --dt-ms 1 --out models/lif.json\n  snnc import braille.nir --from snntorch --reset subtract_same_step --out models/braille.json\n  snnc train models/lif.json --init models/lif.safetensors",
    )
    .action(async (file: string, flags: ImportFlags) => {
      const { runImport } = await import("../../nir/run-import.ts");
      const { from, dtMs, discretization, reset, ifGain, inputGain } = flags;
      await runImport({ file, from, dtMs, discretization, reset, ifGain, inputGain, out: flags.out, force: flags.force, name: flags.name, steps: flags.steps, learnTau: flags.learnTau });
    });
}
