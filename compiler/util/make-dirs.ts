// mkdir -p without Node's `recursive: true`, which loops forever at 100% CPU, deaf to signals, on a
// path whose parent refuses new folders with ENOENT (`/proc/run`: `snnc train --out /proc/run`
// hung so). Each missing folder is made in turn from the deepest one that exists. Errors keep their
// errno code, except two that compiler/util/atomic-write.ts's environmentError words for the user:
// ENOFOLDER (the folder above exists but takes no new folder) and EDANGLING (a link to nothing).

import { lstatSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      if (statSync(p).isDirectory()) break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw coded("ENOFOLDER", p);
      if (code !== "EEXIST") throw e;
      // Another process made it in between (fine, if it is a folder), or a link to nothing is there.
      if (lstatSync(p).isSymbolicLink() && !exists(p)) throw coded("EDANGLING", p);
      if (!statSync(p).isDirectory()) throw e;
    }
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function coded(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: mkdir '${path}'`), { code, path, syscall: "mkdir" });
}
