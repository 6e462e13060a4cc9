// Central error handling for the CLI. Every command throws; nothing below main.ts prints an error
// or calls process.exit. User errors print as plain sentences on stderr, never with a stack trace:
//   SpecError            every problem on its own line (formatProblem), exit 2
//   UsageError           a wrong argument the parser could not catch (unknown kernel, …), exit 2
//   BuildError           its message (the compiler's errors with file:line), exit 1
//   PlanError, AddonLoadError, ModelError, DataError, and any error with `userFacing: true`
//                        its message, exit 1 (or the error's own numeric `exitCode`)
//   an errno error of the environment (EROFS, ENOSPC, ENOTDIR, EEXIST, EACCES, …) with a path
//                        "cannot write <path>: <reason>", exit 1 (compiler/util/atomic-write.ts)
// Anything else is a bug: `internal error: <message>`, the stack only with SNNC_DEBUG=1, exit 70.
// A module whose errors users should see either throws one of these or sets `userFacing = true`
// on its error class; no edit here is needed.

import { PlanError } from "../../compiler/plan/build-plan.ts";
import { environmentError } from "../../compiler/util/atomic-write.ts";
import { SpecError, formatProblem } from "../../compiler/spec/index.ts";
import { AddonLoadError } from "../model/native.ts";
import { ModelError } from "../model/snn-model.ts";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** BSD sysexits EX_SOFTWARE: an internal software error. */
export const EXIT_INTERNAL = 70;

/** A user error found by the CLI itself (bad argument value, unknown kernel name). */
export class UsageError extends Error {
  readonly userFacing = true;
  readonly exitCode = EXIT_USAGE;
  override readonly name = "UsageError";
}

/** A user-level failure found by the CLI itself (exit 1). */
export class CliError extends Error {
  readonly userFacing = true;
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/** Ends a command with an exit code after it has printed everything itself (e.g. validate's problems). */
export class SilentExit extends Error {
  override readonly name = "SilentExit";
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** Error classes (by name) from modules the CLI does not import: runtime/data's DataError. The
 * others it meets are matched by class below. */
const USER_FACING_NAMES = new Set(["DataError"]);

export interface Reported {
  exitCode: number;
  /** The lines written to stderr. */
  lines: string[];
}

/** What the user sees for an error, and the exit code; pure, so tests can check it directly. */
export async function describeError(err: unknown, debug = process.env.SNNC_DEBUG === "1"): Promise<Reported> {
  if (err instanceof SilentExit) return { exitCode: err.exitCode, lines: [] };
  if (err instanceof SpecError) return { exitCode: EXIT_USAGE, lines: err.problems.map(formatProblem) };
  if (err instanceof PlanError || err instanceof AddonLoadError || err instanceof ModelError)
    return { exitCode: EXIT_FAILURE, lines: [err.message] };
  if (isUserFacing(err)) {
    const code = (err as { exitCode?: unknown }).exitCode;
    return { exitCode: typeof code === "number" && code > 0 ? code : EXIT_FAILURE, lines: [err.message] };
  }
  const env = environmentError(err);
  if (env) return { exitCode: EXIT_FAILURE, lines: [env.message] };
  // Loaded only here: the build module pulls in the emitters (ts-morph), which `snnc validate`
  // should not pay for. When a BuildError was thrown the module is already loaded.
  const { BuildError } = await import("../../compiler/build/build-addon.ts");
  if (err instanceof BuildError) return { exitCode: EXIT_FAILURE, lines: [err.message] };
  const e = err instanceof Error ? err : new Error(String(err));
  const message = e.message.replace(/^internal error:\s*/, "");
  const lines = [`internal error: ${message}`];
  if (debug && e.stack) lines.push(e.stack);
  else lines.push("(this is a bug in snnc; run again with SNNC_DEBUG=1 for the stack trace)");
  return { exitCode: EXIT_INTERNAL, lines };
}

function isUserFacing(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  return (err as { userFacing?: unknown }).userFacing === true || USER_FACING_NAMES.has(err.name);
}

/** Prints an error to stderr the way describeError says and returns the exit code. */
export async function reportError(err: unknown): Promise<number> {
  const { exitCode, lines } = await describeError(err);
  for (const line of lines) process.stderr.write(`${line}\n`);
  return exitCode;
}
