// Ctrl-C during training: the first SIGINT asks the loop to stop after the current batch (it then
// writes a checkpoint and the run exits 130); a second one exits at once.

export interface StopSignal {
  readonly requested: boolean;
}

/** A stop flag set by hand (tests, embedding code). */
export class ManualStop implements StopSignal {
  requested = false;
  request(): void {
    this.requested = true;
  }
}

export const EXIT_INTERRUPTED = 130;

/** Installs the SIGINT handler; call dispose() when training is over. */
export function installSigint(notify: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): StopSignal & { dispose(): void } {
  const state = {
    requested: false,
    dispose() {
      process.off("SIGINT", onSigint);
    },
  };
  function onSigint() {
    if (state.requested) {
      notify("\ninterrupted again: exiting now without a checkpoint");
      process.exit(EXIT_INTERRUPTED);
    }
    state.requested = true;
    notify("\ninterrupt: finishing this batch, then writing a checkpoint (Ctrl-C again to quit at once)");
  }
  process.on("SIGINT", onSigint);
  return state;
}
