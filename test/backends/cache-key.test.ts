// The build cache is keyed by content (issue 13, item 5): the generated folder is named by the
// model's name and its spec hash, so two different specs with one name never rebuild each other;
// the prose (`description`, `$schema`) decides nothing; the spec's folder is not in the sources.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileSpec, GENERATED_ROOT, generatedDir, loadNetwork, sourceLabel } from "../../compiler/pipeline.ts";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "snnc-cache-key-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tiny = JSON.parse(readFileSync(join(ROOT, "models", "tiny.json"), "utf8"));
function specFile(name: string, edit: (s: any) => void): string {
  const s = structuredClone(tiny);
  edit(s);
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify(s, null, 2));
  return path;
}

describe("the build folder", () => {
  it("differs for two specs that share a name but not their content", () => {
    const a = loadNetwork(specFile("a", () => {}));
    const b = loadNetwork(specFile("b", (s) => (s.layers[0].size += 1)));
    expect(a.name).toBe(b.name);
    expect(generatedDir(a, "cpu")).not.toBe(generatedDir(b, "cpu"));
    expect(generatedDir(a, "cpu")).toBe(join(GENERATED_ROOT, `tiny-${a.specHash.slice(0, 12)}`, "cpu"));
  });

  it("and the emitted sources do not change when only the description or $schema changes", () => {
    const a = loadNetwork(specFile("c", () => {}));
    const b = loadNetwork(
      specFile("d", (s) => {
        s.description = "the same network, described at length";
        s.$schema = "../somewhere/else.schema.json";
      }),
    );
    expect(b.specHash).toBe(a.specHash);
    expect(generatedDir(b, "cpu")).toBe(generatedDir(a, "cpu"));
    const manifest = (files: ReturnType<typeof emitBackend>) => JSON.parse(files.find((f) => f.path === "manifest.json")!.content);
    const fa = emitBackend(buildPlan(a), "cpu", sourceLabel(join(tmp, "x", "tiny.json")));
    const fb = emitBackend(buildPlan(b), "cpu", sourceLabel("../elsewhere/models/tiny.json"));
    expect(manifest(fb).contentHash).toBe(manifest(fa).contentHash);
  });

  it("is the same whichever path names the spec (relative, absolute)", () => {
    const out = join(tmp, "out");
    compileSpec(join(ROOT, "models", "tiny.json"), "cpu", out);
    const again = compileSpec("models/tiny.json", "cpu", out);
    expect(again.written).toEqual([]);
  });
});
