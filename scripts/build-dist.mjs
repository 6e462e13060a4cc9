// `npm run build` (npm ci and npm install run it as prepare; the tests' global setup too): compiles
// the package to dist/ (tsconfig.build.json, incremental), then stamps dist/.built. tsc writes
// nothing when no source's content changed, even where a file's time did (a checkout, a touch);
// bin/snnc.mjs runs dist/ only when the stamp is newer than every source, so it is renewed on
// every successful build.

import { spawnSync } from "node:child_process";
import { closeSync, openSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// typescript exports no bin/tsc subpath: its package.json is, and bin/ lies beside it.
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
const stamp = join(root, "dist", ".built");
closeSync(openSync(stamp, "a"));
const now = new Date();
utimesSync(stamp, now, now);
