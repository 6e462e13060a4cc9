// A run's settings that cannot work together (flags against the spec or the checkpoint): one sentence
// naming the flag or the spec field, exit 1 (runtime/cli/fail.ts reads userFacing).

export class TrainConfigError extends Error {
  readonly userFacing = true;
  override readonly name = "TrainConfigError";
}
