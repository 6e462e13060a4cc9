import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // cmake-js calls process.chdir, which worker threads forbid: keep the forks pool.
    pool: "forks",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
