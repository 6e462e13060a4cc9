#!/usr/bin/env node
// The `snnc` command: hands argv to the CLI (runtime/cli/main.ts). It runs the compiled copy in
// dist/ (`npm run build`; npm ci and npm install run it) when that is current (dist-current.mjs),
// and otherwise the TypeScript sources under tsx, which adds ~1.5 s of start-up to every call.
// SNNC_FROM_SOURCE=1 always runs the sources. Paths resolve from this file, so any cwd works.

import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { distIsCurrent } from "./dist-current.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

let cli;
if (!process.env.SNNC_FROM_SOURCE && distIsCurrent(root)) cli = join(root, "dist", "runtime", "cli", "main.js");
else {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: join(root, "tsconfig.json") });
  cli = join(root, "runtime", "cli", "main.ts");
}
const { main } = await import(pathToFileURL(cli).href);
await main(process.argv);
