// The `snnc` command line: a commander program with one module per command under commands/.
// Each command module exports `register(program)`; errors propagate to here and are printed by
// fail.ts (no command prints its own errors or calls process.exit).

import { stdoutClosed } from "../util/closed-stdout.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { PACKAGE_ROOT } from "../../compiler/util/package-root.ts";
import { EXIT_USAGE, reportError } from "./fail.ts";

export interface CommandModule {
  register(program: Command): void;
}

// ---- The commands, in the order `snnc --help` lists them. Adding a command is one line here. ----
// Only list commands that work: each line loads runtime/cli/commands/<name>.ts.
const COMMANDS: (() => Promise<CommandModule>)[] = [
  () => import("./commands/validate.ts"),
  () => import("./commands/inspect.ts"),
  () => import("./commands/compile.ts"),
  () => import("./commands/build.ts"),
  () => import("./commands/bench.ts"),
  () => import("./commands/train.ts"),
  () => import("./commands/eval.ts"),
  () => import("./commands/report.ts"),
  () => import("./commands/import.ts"),
  () => import("./commands/export.ts"),
];
// ---- end of the command list ----

// From the package root, not from this file: the CLI also runs compiled, from dist/runtime/cli/.
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as {
  version: string;
  description: string;
};

/** The program with every command registered; parsing errors throw CommanderError (exitOverride). */
export async function createProgram(): Promise<Command> {
  const program = new Command("snnc")
    .description(pkg.description)
    .version(pkg.version, "-V, --version", "print the snnc version")
    .helpOption("-h, --help", "show help for a command")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  // Subcommands copy these settings when they are created, so set them before registering.
  program.configureHelp({ sortSubcommands: false, showGlobalOptions: false });
  for (const load of COMMANDS) (await load()).register(program);
  program.addHelpText(
    "after",
    "\nExamples:\n  snnc validate models/*.json\n  snnc inspect models/fmnist.json\n  snnc build models/tiny.json --backend cpu",
  );
  return program;
}

/** Runs the CLI on argv (process.argv form: [node, script, ...args]) and sets process.exitCode. */
export async function main(argv: string[]): Promise<number> {
  // `snnc inspect … | head` closes the pipe early: that is not an error. A training run claims it
  // instead (it stops after the batch and keeps a checkpoint: runtime/util/closed-stdout.ts).
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") {
      if (!stdoutClosed()) process.exit(0);
      return;
    }
    // The terminal was closed (SIGHUP): `snnc train` still writes its checkpoint; nothing to say.
    if (e.code === "EIO") return;
    throw e;
  });
  let code = 0;
  try {
    const program = await createProgram();
    await program.parseAsync(argv);
  } catch (err) {
    code = err instanceof CommanderError ? commanderExitCode(err) : await reportError(err);
  }
  process.exitCode = code;
  return code;
}

/** Commander has already printed its message; help and --version are successes, the rest usage errors. */
function commanderExitCode(err: CommanderError): number {
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
  if (err.exitCode === 0) return 0;
  return EXIT_USAGE;
}
