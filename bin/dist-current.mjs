// Whether dist/ (the compiled CLI and library) is current for the sources of the package at `root`:
// stamped (dist/.built, by scripts/build-dist.mjs) after the last change to any file it is compiled
// from. bin/snnc.mjs runs dist/ only then, so an edited source never runs stale.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** What dist/ is compiled from: the .ts and .json files under these folders, and these files. */
const SOURCES = ["compiler", "runtime", "tsconfig.json", "tsconfig.build.json", "package.json"];

/** The newest modification time of the .ts and .json files under `dir`, in ms. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function distIsCurrent(root) {
  try {
    const built = statSync(join(root, "dist", ".built")).mtimeMs;
    statSync(join(root, "dist", "runtime", "cli", "main.js"));
    return SOURCES.every((p) => {
      const s = statSync(join(root, p));
      return (s.isDirectory() ? newestSource(join(root, p)) : s.mtimeMs) <= built;
    });
  } catch {
    return false; // no dist/ (a checkout never built), or a file vanished while looking
  }
}
