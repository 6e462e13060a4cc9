// What a closed standard output (EPIPE: `snnc train … | head -2`) means. For a short command the
// reader has what it wanted and the command ends, exit 0. A training run has work to keep: it
// claims the event (the stop signals, runtime/train/interrupt.ts), stops after the current batch
// like SIGTERM, writes its checkpoint, and says so on stderr, where its lines go from then on.

let claim: (() => void) | null = null;
let closed = false;

/** While installed, a closed stdout calls `fn` instead of ending the process. */
export function onClosedStdout(fn: () => void): () => void {
  claim = fn;
  return () => {
    if (claim === fn) claim = null;
  };
}

/** Called for each EPIPE on stdout: true when a training run has claimed it (go on), false when
 *  the command should end. */
export function stdoutClosed(): boolean {
  closed = true;
  if (!claim) return false;
  claim();
  return true;
}

/** One line to stdout, or to stderr once stdout has been closed (nobody reads it any more). */
export function writeLine(line: string): void {
  (closed ? process.stderr : process.stdout).write(`${line}\n`);
}
