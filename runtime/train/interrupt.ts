// Stopping a training run from outside: Ctrl-C (SIGINT), `kill`, a scheduler, a container or CI
// (SIGTERM) and a closed terminal (SIGHUP) all ask the loop to stop after the current batch; it then
// writes a checkpoint and the run exits 128 + the signal number (130, 143; SIGHUP ends the process
// by the signal itself, which shells report as 129). A second SIGINT or SIGTERM ends it at once.

import { constants } from "node:os";
import { onClosedStdout } from "../util/closed-stdout.ts";

export interface StopSignal {
  readonly requested: boolean;
  /** The signal that asked (installStopSignals' stops say; a ManualStop counts as SIGINT). */
  readonly signal?: StopSignalName | null;
  /** Called when the first batch is about to run: a stop asked for from here on finishes a batch
   *  and writes a checkpoint; before it, the run ends having written nothing. */
  beginTraining?(): void;
}

/** The signal a stop was asked by, or null while none was. */
export function stopSignalOf(stop: StopSignal | undefined): StopSignalName | null {
  if (!stop?.requested) return null;
  return stop.signal ?? "SIGINT";
}

/** A stop flag set by hand (tests, embedding code). */
export class ManualStop implements StopSignal {
  requested = false;
  request(): void {
    this.requested = true;
  }
}

/** Exit status after Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** A signal, or SIGPIPE for a closed stdout (an EPIPE: Node ignores the signal itself). */
export type StopSignalName = (typeof STOP_SIGNALS)[number] | "SIGPIPE";

/** 128 + the signal's number, the shell's convention for "ended by this signal" (141 for a closed stdout). */
export function signalExitCode(signal: StopSignalName): number {
  return 128 + constants.signals[signal];
}

const FIRST: Record<StopSignalName, string> = {
  SIGINT: "interrupt: finishing this batch, then writing a checkpoint (Ctrl-C again to quit at once)",
  SIGTERM: "SIGTERM: finishing this batch, then writing a checkpoint (send it again to quit at once)",
  SIGHUP: "SIGHUP (terminal closed): finishing this batch, then writing a checkpoint",
  SIGPIPE: "standard output was closed (EPIPE): finishing this batch, then writing a checkpoint; the run's lines go to stderr from here",
};
/** The notices for a stop asked for before the first batch (data loading, the kernel build). */
const BEFORE_TRAINING: Record<StopSignalName, string> = {
  SIGINT: "interrupt: stopping before training begins (Ctrl-C again to quit at once)",
  SIGTERM: "SIGTERM: stopping before training begins (send it again to quit at once)",
  SIGHUP: "SIGHUP (terminal closed): stopping before training begins",
  SIGPIPE: "standard output was closed (EPIPE): stopping before training begins; the run's lines go to stderr from here",
};

export interface InstalledStop extends StopSignal {
  /** The first signal received (null while none was). */
  readonly signal: StopSignalName | null;
  /** The exit status the command should end with once it has stopped (130 when no signal came). */
  readonly exitCode: number;
  beginTraining(): void;
  dispose(): void;
}

/** Installs the SIGINT, SIGTERM and SIGHUP handlers; call dispose() when training is over. */
export function installStopSignals(notify: (line: string) => void = defaultNotify): InstalledStop {
  let signal: StopSignalName | null = null;
  let training = false;
  const notice = (name: StopSignalName) => (training ? FIRST : BEFORE_TRAINING)[name];
  const handlers = new Map<StopSignalName, () => void>();
  const state: InstalledStop = {
    get requested() {
      return signal !== null;
    },
    get signal() {
      return signal;
    },
    get exitCode() {
      return signal ? signalExitCode(signal) : EXIT_INTERRUPTED;
    },
    beginTraining() {
      training = true;
    },
    dispose() {
      for (const [name, fn] of handlers) process.off(name, fn);
      handlers.clear();
      for (const stream of ttys) stream.off("error", ignoreTerminalGone);
      releaseStdout();
    },
  };
  // A closed stdout (`snnc train … | head`) stops the run like SIGTERM, once.
  const releaseStdout = onClosedStdout(() => {
    if (signal !== null) return;
    signal = "SIGPIPE";
    safeNotify(notify, `\n${notice("SIGPIPE")}`);
  });
  // A closed terminal fails every write with EIO, possibly before its SIGHUP arrives: ignore
  // those, so the progress bar or a log line cannot end the run before its checkpoint is written.
  const ttys = [process.stdout, process.stderr].filter((s) => s.isTTY);
  for (const stream of ttys) stream.on("error", ignoreTerminalGone);
  for (const name of STOP_SIGNALS) {
    const fn = () => {
      if (signal !== null) {
        // A terminal that goes away may send SIGHUP more than once: that is no request to hurry.
        if (name === "SIGHUP") return;
        safeNotify(notify, `\n${name} again: exiting now without a checkpoint`);
        // End by the signal itself (the shell reports 128 + its number): an ordinary exit would
        // make Node restore the modes of a terminal that may be gone, and abort.
        state.dispose();
        process.kill(process.pid, name);
        return;
      }
      signal = name;
      safeNotify(notify, `\n${notice(name)}`);
    };
    handlers.set(name, fn);
    process.on(name, fn);
  }
  return state;
}

/** The former name (SIGINT only then); now handles SIGTERM and SIGHUP too. */
export const installSigint = installStopSignals;

/** Where signal notices go; the progress bar swaps this for a writer that clears the bar first. */
let notifyWriter: (line: string) => void = (l) => process.stderr.write(`${l}\n`);
export function setNotifyWriter(fn: (line: string) => void): () => void {
  const prev = notifyWriter;
  notifyWriter = fn;
  return () => {
    notifyWriter = prev;
  };
}
function defaultNotify(line: string): void {
  notifyWriter(line);
}

function ignoreTerminalGone(e: NodeJS.ErrnoException): void {
  if (e.code !== "EIO") throw e;
}

function safeNotify(notify: (line: string) => void, line: string): void {
  try {
    notify(line);
  } catch {
    // a closed terminal (SIGHUP) may refuse the write: stopping matters more than saying so
  }
}
