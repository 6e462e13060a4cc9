// Vitest's order of test files: the longest first, by the durations in file-durations.json (written
// by scripts/test/file-durations.ts from a run's JSON report). Two workers share 2 cores; vitest
// without its cache (a clean clone, as on CI) starts the largest files first, and the emulated CUDA
// files, a few lines each and minutes long, came last: one worker ran alone for the last ~2 minutes.
// Files the table does not know yet run first, as vitest runs unknown files first. The table only
// orders: a stale or missing entry costs time, never a test.

import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const ROOT = join(import.meta.dirname, "..", "..");
const DURATIONS_FILE = join(import.meta.dirname, "file-durations.json");

function durations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS_FILE, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const known = durations();
    const seconds = (f: TestSpecification) => known[relative(ROOT, f.moduleId)] ?? Infinity;
    return [...files].sort((a, b) => seconds(b) - seconds(a));
  }
}
