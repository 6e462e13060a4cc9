// Writing an emitted file set to disk: each file atomically, and only when its content changed,
// so an unchanged kernel is not recompiled.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EmittedFile } from "../backends/emit.ts";
import { removeStaleTemps, writeFileAtomic } from "../util/atomic-write.ts";

export function writeGenerated(dir: string, files: EmittedFile[]): { written: string[]; unchanged: string[] } {
  const written: string[] = [];
  const unchanged: string[] = [];
  removeStaleTemps(dir); // left by a compile that was killed mid-write
  // manifest.json last: a crash mid-way leaves a stale manifest, which forces a rebuild.
  const ordered = [...files.filter((f) => f.path !== "manifest.json"), ...files.filter((f) => f.path === "manifest.json")];
  for (const f of ordered) {
    const path = join(dir, f.path);
    if (existsSync(path) && sameContent(f.path, readFileSync(path, "utf8"), f.content)) unchanged.push(f.path);
    else {
      writeFileAtomic(path, f.content);
      written.push(f.path);
    }
  }
  return { written, unchanged };
}

/** manifest.json's description names the spec file the folder was first compiled from. Another file
 *  of the same spec (a link, a copy, the path as another command got it) emits the same sources and
 *  must not rewrite the manifest: it counts as changed only when something besides that name is. */
function sameContent(path: string, old: string, next: string): boolean {
  if (old === next) return true;
  if (path !== "manifest.json") return false;
  try {
    const withoutName = (text: string) => JSON.stringify({ ...JSON.parse(text), description: undefined });
    return withoutName(old) === withoutName(next);
  } catch {
    return false; // unreadable: write the new one
  }
}
