// A signal's JavaScript handler (Ctrl-C's stop flag) runs only when the event loop turns: one caught
// while the process runs synchronous work (a build step between tools, data loading) waits for the
// next turn. Code that polls the stop flag between such steps yields once first.

/** Resolves after one turn of the event loop, by which the handlers of signals already caught ran. */
export function signalsDelivered(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
