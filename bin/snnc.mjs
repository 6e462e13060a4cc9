#!/usr/bin/env node
// The `snnc` command: registers tsx so Node can load the TypeScript sources directly, then hands
// argv to the CLI (runtime/cli/main.ts). Paths resolve from this file, so it works from any cwd.

import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../runtime/cli/main.ts");
await main(process.argv);
