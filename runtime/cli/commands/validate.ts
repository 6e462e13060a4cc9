// `snnc validate <spec...>`: checks each file and prints one ok line per valid file and every
// problem of every invalid one (all files are checked, whatever fails first); exit 2 if any fails.

import type { Command } from "commander";
import { lowerSpec } from "../../../compiler/ir/lower.ts";
import { formatProblem, loadSpecFile } from "../../../compiler/spec/index.ts";
import { networkSummary } from "../describe.ts";
import { EXIT_USAGE, SilentExit } from "../fail.ts";

export function register(program: Command): void {
  program
    .command("validate")
    .description("check spec files: every problem of every file, each with its JSON pointer and a hint")
    .argument("<spec...>", "spec files (models/*.json)")
    .addHelpText("after", "\nExample:\n  snnc validate models/*.json")
    .action((specs: string[]) => {
      let bad = 0;
      for (const file of specs) {
        const result = loadSpecFile(file);
        if (result.ok) {
          process.stdout.write(`ok  ${file} (${networkSummary(lowerSpec(result.spec))})\n`);
        } else {
          bad++;
          for (const p of result.problems) process.stderr.write(`${formatProblem(p)}\n`);
        }
      }
      // The problems are printed; only the exit code remains.
      if (bad > 0) throw new SilentExit(EXIT_USAGE);
    });
}
