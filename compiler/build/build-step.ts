// One step of a cmake-js build (configure or build) run with its output captured, and the errors a
// build reports: BuildError with the compiler's first errors, BuildInterruptedError when a signal
// stopped it. Shared by the model builds, the shared Node binding's build and the MPI binding's.

import { spawnSync } from "node:child_process";
import { constants } from "node:os";

export class BuildError extends Error {
  constructor(
    message: string,
    readonly log = "",
  ) {
    super(message);
  }
}

/** The build was stopped by a signal (Ctrl-C reaches cmake and the compiler too): not a failure of
 *  the sources, so no compiler log; exit 128 + the signal (130 for Ctrl-C). */
export class BuildInterruptedError extends Error {
  readonly userFacing = true;
  override readonly name = "BuildInterruptedError";
  readonly exitCode: number;
  constructor(dir: string, signal: NodeJS.Signals) {
    super(`the kernel build in ${dir} was interrupted (${signal}) before it finished; run the command again to build the kernels`);
    this.exitCode = 128 + (constants.signals[signal] ?? 2);
  }
}

/** Exit statuses and log lines by which cmake, make and ninja say a signal stopped them. */
const STOPPED_STATUS: Record<number, NodeJS.Signals> = { 129: "SIGHUP", 130: "SIGINT", 143: "SIGTERM" };
const STOPPED_LOG = /interrupted by user|Interrupt$|received signal|\*\*\* \[.*\] Interrupt/m;

/** Runs one cmake-js step (configure or build) with its output captured: a stop by a signal becomes
 *  BuildInterruptedError, a failure BuildError with the compiler's first errors. */
export function runBuildStep(command: string[], cwd: string, what: string, onLine: ((line: string) => void) | undefined, dir: string): void {
  const [exe, ...args] = command;
  const r = spawnSync(exe, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const log = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  // Ctrl-C goes to the whole process group: cmake and the compiler die of it (or exit 130) first.
  const stoppedBy = r.signal ?? (r.status !== null ? STOPPED_STATUS[r.status] : undefined) ?? (r.status !== 0 && STOPPED_LOG.test(log) ? "SIGINT" : undefined);
  if (stoppedBy) throw new BuildInterruptedError(dir, stoppedBy);
  if (onLine) for (const line of log.split("\n")) if (line.trim()) onLine(line);
  if (r.error) throw new BuildError(`cmake ${what} could not start: ${r.error.message}`, log);
  if (r.status !== 0) throw new BuildError(`${what} failed:\n${firstErrors(log)}`, log);
}

/** The compiler's error lines (file:line:col: error …) with a little context, else the log's tail. */
export function firstErrors(log: string, max = 12): string {
  const lines = log.split("\n");
  const hits: string[] = [];
  for (let i = 0; i < lines.length && hits.length < max; i++) {
    if (/(\berror\b|: fatal error|CMake Error)/i.test(lines[i])) {
      hits.push(lines[i].trimEnd());
      for (let k = 1; k <= 2 && i + k < lines.length && !/^\[|^ninja|^gmake|^make/.test(lines[i + k]); k++)
        hits.push(lines[i + k].trimEnd());
    }
  }
  return (hits.length ? hits : lines.filter((l) => l.trim()).slice(-max)).join("\n");
}
