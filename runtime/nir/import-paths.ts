// Where `snnc import` writes, checked before the NIR file is read: a spec `<name>.json` and its
// weights `<name>.safetensors` beside it. An `--out` without `.json` would put JSON into the named
// file and the weights into `<name>.safetensors.safetensors`; an `--out` naming the input (or a
// default name that does, `snnc import model.json`) would destroy it; an existing spec or weights
// file is replaced only with --force. Exit codes follow docs/cli.md ("Exit codes"): a wrong --out
// value is a usage error (2); files already there are the disk's state, not a wrong flag (1).

import { existsSync } from "node:fs";
import { OutPathError, sameFile } from "./out-path.ts";

export interface ImportPaths {
  specPath: string;
  weightsPath: string;
}

/** The paths for `out` (undefined: `defaultSpec`, the file's name in the current folder), or the
 *  reason they cannot be written. */
export function importPaths(file: string, out: string | undefined, defaultSpec: string, force = false): ImportPaths {
  const specPath = out ?? defaultSpec;
  if (!/\.json$/i.test(specPath))
    throw new OutPathError(`--out ${specPath}: the spec's file name must end in .json (its weights go beside it as <name>.safetensors)`, 2);
  const weightsPath = specPath.replace(/\.json$/i, "") + ".safetensors";
  for (const path of [specPath, weightsPath]) {
    if (!sameFile(path, file)) continue;
    const whose = path === specPath ? "the spec" : `its weights (${weightsPath})`;
    if (out === undefined) throw new OutPathError(`${file} is the file being imported, and the default --out (${specPath}) would write ${whose} over it; choose another --out`, 2);
    throw new OutPathError(`--out ${specPath} would write ${whose} over ${file}, the file being imported; choose another --out`, 2);
  }
  if (!force) {
    const there = [specPath, weightsPath].filter((p) => existsSync(p));
    if (there.length === 2) throw new OutPathError(`${specPath} and ${weightsPath} already exist; pass --force to replace them, or choose another --out`, 1);
    if (there.length === 1) throw new OutPathError(`${there[0]} already exists; pass --force to replace it (and write ${there[0] === specPath ? weightsPath : specPath} beside it), or choose another --out`, 1);
  }
  return { specPath, weightsPath };
}
