// Writes test/support/file-durations.json, the order vitest runs the test files in (longest first,
// test/support/longest-first.ts), from a run's JSON report:
//   npx tsx scripts/test/file-durations.ts [.ci/vitest-report.json]
// `bash .ci/run` writes that report; run this after adding or growing a slow test file.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../compiler/util/atomic-write.ts";
import { PACKAGE_ROOT } from "../../compiler/util/package-root.ts";

const DURATIONS_FILE = join(PACKAGE_ROOT, "test", "support", "file-durations.json");

interface Report {
  testResults: { name: string; startTime: number; endTime: number }[];
}

const path = process.argv[2] ?? ".ci/vitest-report.json";
let report: Report;
try {
  report = JSON.parse(readFileSync(path, "utf8")) as Report;
} catch (e) {
  console.error(`cannot read the vitest JSON report ${path}: ${(e as Error).message}`);
  process.exit(1);
}
const rows = report.testResults
  // Paths from the package root, whichever checkout the report was written in (every file is under test/).
  .map((f) => [f.name.slice(f.name.lastIndexOf("/test/") + 1), Math.round((f.endTime - f.startTime) / 100) / 10] as const)
  .sort((a, b) => b[1] - a[1]);
writeFileAtomic(DURATIONS_FILE, `${JSON.stringify(Object.fromEntries(rows), null, 1)}\n`);
console.log(`${DURATIONS_FILE}: ${rows.length} files, ${rows.reduce((s, r) => s + r[1], 0).toFixed(0)} s in all`);
