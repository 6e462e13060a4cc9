// Vitest's global setup: compiles the package to dist/ (`npm run build`, incremental: nothing is
// written when dist/ is current, but for its stamp) once before any test file, so the tests that
// import "snnc" as a user does (plain node, or the example under tsx) and those that spawn
// bin/snnc.mjs (which runs dist/ when current) run the sources as they are now, never a dist/ left
// from an older checkout, and no two test files compile it at once.

import { spawnSync } from "node:child_process";
import { join } from "node:path";

export default function setup(): void {
  const root = join(import.meta.dirname, "..", "..");
  const r = spawnSync(process.execPath, [join(root, "scripts", "build-dist.mjs")], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed (scripts/build-dist.mjs):\n${r.stdout}${r.stderr}${r.error?.message ?? ""}`);
}
