// What `snnc import` and `snnc export` share about the file they write: it must not be one of the
// files the command reads (a spec exported over itself, a NIR file imported over itself is lost),
// however it is named (the same path, a symbolic or a hard link). Such an --out is a usage error.

import { statSync } from "node:fs";

/** A refused output path; userFacing, so the CLI prints the message with its exit code. */
export class OutPathError extends Error {
  readonly userFacing = true;
  override readonly name = "OutPathError";
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** One file under two names; false when either is missing. */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Refuses `--out <out>` when it is one of `inputs` (named by what they are: "the spec"). */
export function refuseOutOverInput(out: string, inputs: [what: string, path: string | undefined][]): void {
  for (const [what, path] of inputs)
    if (path !== undefined && sameFile(out, path)) throw new OutPathError(`--out ${out} is ${path}, ${what}; choose another --out`, 2);
}
