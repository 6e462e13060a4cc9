import { defineConfig } from "vitest/config";
import { LongestFirst } from "./test/support/longest-first.ts";

export default defineConfig({
  test: {
    // cmake-js calls process.chdir, which worker threads forbid: keep the forks pool.
    pool: "forks",
    // Two test files at a time even on 2 cores: much of a file's time is waiting on a compiler or
    // on one-threaded work, so the suite takes ~8 minutes instead of ~14 (2026-11-29).
    maxWorkers: 2,
    // One process per worker for all its files, not one per file: each file re-imported the
    // compiler and runtime sources (~1 s a file) and redid module-level set-up (schema compiles,
    // loaders). The tests share no mocks; each cleans up what it changes (process.env, stdout).
    isolate: false,
    // OpenMP threads that spin at a barrier while the other worker's process holds the second core
    // slowed the small-batch files many times. Set before any addon loads (OpenMP reads it once per
    // process); no test reads timings. (A file that set OMP_NUM_THREADS=1 for itself would now
    // set it for every later file of its worker.)
    env: { OMP_WAIT_POLICY: "passive" },
    include: ["test/**/*.test.ts"],
    // The longest files first (test/support/file-durations.json), so neither worker ends alone.
    sequence: { sequencer: LongestFirst },
    // dist/ (what `import … from "snnc"` runs) compiled from the current sources first.
    globalSetup: ["test/support/build-dist.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
