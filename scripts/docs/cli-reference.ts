// The command reference of docs/cli.md: what `snnc --help` and `snnc <command> --help` print,
// taken from the commander program itself (runtime/cli/main.ts's createProgram), in this process.
// The options' own descriptions are then the one place they are written. The width is fixed so
// the page does not depend on the terminal that regenerated it.

import type { Command } from "commander";
import { createProgram } from "../../runtime/cli/main.ts";

/** Columns the help is wrapped to (commander's default is the terminal's width, or 80). */
export const HELP_WIDTH = 100;

/** Exactly what `--help` prints for one command (its addHelpText examples included), uncoloured. */
function helpText(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => void (text += s), getOutHelpWidth: () => HELP_WIDTH, getOutHasColors: () => false });
  command.outputHelp();
  return text.trimEnd();
}

/** `###` per command (`snnc`, then each command in the order `snnc --help` lists them), its help as text. */
export async function cliReference(): Promise<string> {
  const program = await createProgram();
  const out: string[] = [];
  for (const command of [program, ...program.commands]) {
    const name = command === program ? "snnc" : `snnc ${command.name()}`;
    out.push(`### \`${name}\``, "", "```text", `$ ${name} --help`, helpText(command), "```", "");
  }
  return out.join("\n");
}
