// Regenerates the parts of docs/ that are written from the code, so they cannot drift from it:
// the spec field reference in docs/specs.md (from the JSON Schema's descriptions) and the command
// reference in docs/cli.md (from the commands' own --help). test/docs/generated-docs.test.ts fails
// when a committed page differs from what this writes.
//
//   npx tsx scripts/docs/generate-docs.ts

import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { specSchema } from "../../compiler/spec/index.ts";
import { cliReference } from "./cli-reference.ts";
import { replaceBlock } from "./generated-block.ts";
import { specReference } from "./spec-reference.ts";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Each generated page with the text it should have now (the hand-written parts as they are on disk). */
export async function generatedPages(root = ROOT): Promise<{ file: string; text: string }[]> {
  const blocks: [file: string, block: string, body: string][] = [
    ["docs/specs.md", "spec-fields", specReference(specSchema)],
    ["docs/cli.md", "cli-help", await cliReference()],
  ];
  return blocks.map(([file, block, body]) => ({ file, text: replaceBlock(readFileSync(join(root, file), "utf8"), block, body) }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { file, text } of await generatedPages()) {
    const path = join(ROOT, file);
    const changed = readFileSync(path, "utf8") !== text;
    if (changed) writeFileSync(path, text);
    process.stdout.write(`${changed ? "wrote" : "unchanged"} ${relative(process.cwd(), path) || file}\n`);
  }
}
