// specHash decides whether generated code is stale: it must ignore formatting and key order and
// change with any value.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { checkSpecText } from "../../compiler/spec/index.ts";

const text = readFileSync(join(import.meta.dirname, "..", "..", "models", "tiny.json"), "utf8");

function hashOf(json: string): string {
  const r = checkSpecText(json, "tiny.json");
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return lowerSpec(r.spec).specHash;
}

/** The same object with every key order reversed, recursively. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse().map(([k, x]) => [k, reversedKeys(x)]));
  return v;
}

describe("specHash", () => {
  const base = hashOf(text);
  const obj = JSON.parse(text);

  it("is stable under whitespace changes", () => {
    expect(hashOf(JSON.stringify(obj))).toBe(base);
    expect(hashOf(JSON.stringify(obj, null, 8))).toBe(base);
  });

  it("is stable under key order", () => {
    const reordered = JSON.stringify(reversedKeys(obj));
    expect(reordered).not.toBe(JSON.stringify(obj));
    expect(hashOf(reordered)).toBe(base);
  });

  it("is stable when a default is written out explicitly", () => {
    const explicit = structuredClone(obj);
    explicit.training.seed = 0;
    explicit.training.backward = "sparse";
    expect(hashOf(JSON.stringify(explicit))).toBe(base);
  });

  it("ignores the description and $schema (prose decides no kernel)", () => {
    const s = structuredClone(obj);
    s.description = "another description";
    s.$schema = "elsewhere/snnc-spec.schema.json";
    expect(hashOf(JSON.stringify(s))).toBe(base);
  });

  it.each([
    ["a neuron constant", (s: any) => (s.neuron.b_th = 0.31)],
    ["the step count", (s: any) => (s.time.steps = 17)],
    ["a layer size", (s: any) => (s.layers[0].size = 9)],
    ["the learning rate", (s: any) => (s.training.optimizer.lr = 0.02)],
    ["a penalty", (s: any) => (s.loss.activity_up.nu = 3)],
    ["the name", (s: any) => (s.name = "tiny2")],
  ])("changes when %s changes", (_what, change) => {
    const s = structuredClone(obj);
    change(s);
    expect(hashOf(JSON.stringify(s))).not.toBe(base);
  });
});
