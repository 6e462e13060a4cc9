// Where a build put a file: cmake-js and the generators choose the folders (Release/, a
// configuration folder on Windows, CMakeFiles/<target>.dir/ for objects), so builds look it up
// by name instead of guessing the path.

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The first file named one of `names` under `root`, or null (also when root does not exist).
 *  CMakeFiles/ (CMake's own bookkeeping and the objects) is searched only with `objects`. */
export function findInBuild(root: string, names: string[], objects = false): string | null {
  if (!existsSync(root)) return null;
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (names.includes(name)) return p;
      if ((objects || name !== "CMakeFiles") && statSync(p).isDirectory()) stack.push(p);
    }
  }
  return null;
}
