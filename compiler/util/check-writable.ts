// Whether a file could be written, asked before long work whose result goes there (`snnc bench
// --plot/--out` used to fail only after minutes of calibration and timing). The probe is the real
// thing: an empty temporary file is staged beside the target as writeFileAtomic would, then
// removed, with any folder it had to make; so every refusal (a folder at the path, a file above
// it, a read-only disk, /proc, a link to nothing) reads as the later write's would.

import { rmdirSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { environmentError, stageFile } from "./atomic-write.ts";

/** Throws the FileSystemError a write of `path` would meet; leaves the disk as it was. */
export function checkWritable(path: string): void {
  if (isFolder(path)) throw environmentError(Object.assign(new Error(`EISDIR: ${path}`), { code: "EISDIR" }), path)!;
  const made = missingFolders(dirname(resolve(path)));
  try {
    rmSync(stageFile(path, "").tmp, { force: true });
  } finally {
    for (const dir of made) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty any more (another process uses it) or already gone: leave it.
      }
    }
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The folders from `dir` up that do not exist yet, deepest first (the order to remove them in). */
function missingFolders(dir: string): string[] {
  const out: string[] = [];
  for (let p = dir; ; p = dirname(p)) {
    try {
      statSync(p);
      return out;
    } catch {
      out.push(p);
      if (dirname(p) === p) return out;
    }
  }
}
