// The pages written from the code are what the code writes now: docs/specs.md's field reference
// (from the JSON Schema) and docs/cli.md's help (from the commands). Regenerated in memory, no
// process spawned and nothing built; a stale page fails with the command that rewrites it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specSchema } from "../../compiler/spec/index.ts";
import { REGENERATE } from "../../scripts/docs/generated-block.ts";
import { generatedPages, ROOT } from "../../scripts/docs/generate-docs.ts";
import type { Json } from "../spec/base-spec.ts";

/** Every object schema that has fields, wherever it sits (definitions and "if" tests aside). */
function* objectSchemas(node: Json, path: string): Generator<[string, Json]> {
  if (node === null || typeof node !== "object") return;
  if (node.properties && !path.includes("/if")) yield [path, node];
  for (const [key, child] of Object.entries(node)) {
    if (key === "enum" || key === "required" || key === "const") continue;
    yield* objectSchemas(child, `${path}/${key}`);
  }
}

describe("generated docs", () => {
  it("docs/specs.md and docs/cli.md are what scripts/docs/generate-docs.ts writes from the code", async () => {
    const pages = await generatedPages();
    expect(pages.map((p) => p.file)).toEqual(["docs/specs.md", "docs/cli.md"]);
    for (const { file, text } of pages) expect(readFileSync(join(ROOT, file), "utf8"), `${file} is stale: run ${REGENERATE}`).toBe(text);
  });

  it("lists every field of the schema in docs/specs.md, each object's fields in one table", () => {
    const page = readFileSync(join(ROOT, "docs", "specs.md"), "utf8");
    const reference = page.slice(page.indexOf("<!-- generated: spec-fields"));
    // The field names of each generated table, by its ### heading.
    const tables = reference.split(/^### /m).slice(1).map((section) => new Set([...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1])));
    const missing: string[] = [];
    for (const [path, node] of objectSchemas(specSchema, "#")) {
      const fields = Object.keys(node.properties);
      if (!tables.some((t) => fields.every((f) => t.has(f)))) missing.push(`${path}: ${fields.join(", ")}`);
    }
    expect(missing, `fields without a row in docs/specs.md: run ${REGENERATE}`).toEqual([]);
    expect(tables.length).toBeGreaterThan(15);
  });

  it("shows every command's help in docs/cli.md", async () => {
    const { createProgram } = await import("../../runtime/cli/main.ts");
    const page = readFileSync(join(ROOT, "docs", "cli.md"), "utf8");
    for (const command of (await createProgram()).commands) expect(page).toContain(`$ snnc ${command.name()} --help\nUsage: snnc ${command.name()} `);
  });
});
