// Vitest's global setup: compiles the package to dist/ (`npm run build`, incremental: nothing is
// written when dist/ is current) once before any test file, so the tests that import "snnc" as a
// user does (plain node, or the example under tsx) run the sources as they are now, never a dist/
// left from an older checkout, and no two test files compile it at once.

import { spawnSync } from "node:child_process";
import { join } from "node:path";

export default function setup(): void {
  const root = join(import.meta.dirname, "..", "..");
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed (tsc -p tsconfig.build.json):\n${r.stdout}${r.stderr}${r.error?.message ?? ""}`);
}
