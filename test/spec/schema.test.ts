// The schema is user documentation too (editors show it), so every field must describe itself,
// and every object must reject unknown keys; its numeric caps must agree with limits.ts.

import { describe, expect, it } from "vitest";
import { MAX_LAYER_NEURONS, MAX_STEPS, specSchema } from "../../compiler/spec/index.ts";
import type { Json } from "./base-spec.ts";

/** Every subschema with its path, depth first. */
function* walk(node: Json, path: string): Generator<[string, Json]> {
  if (node === null || typeof node !== "object") return;
  yield [path, node];
  for (const [key, child] of Object.entries(node)) {
    if (key === "enum" || key === "required" || key === "const") continue;
    yield* walk(child, `${path}/${key}`);
  }
}

const schema = specSchema as Json;

describe("snnc-spec.schema.json", () => {
  it("is draft 2020-12", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("describes every field", () => {
    const missing: string[] = [];
    for (const [path, node] of walk(schema, "#")) {
      // An "if" only tests the kind; the fields themselves are described where they are defined.
      if (!node.properties || path.includes("/if")) continue;
      for (const [key, prop] of Object.entries(node.properties as Record<string, Json>)) {
        if (typeof prop.description !== "string" || prop.description.length < 5) missing.push(`${path}/properties/${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("forbids unknown keys in every object schema except kind dispatchers", () => {
    const open: string[] = [];
    for (const [path, node] of walk(schema, "#")) {
      if (!node.properties || path.includes("/if")) continue;
      const dispatcher = Array.isArray(node.allOf) && node.allOf.every((b: Json) => b.if && b.then);
      if (!dispatcher && node.additionalProperties !== false) open.push(path);
    }
    expect(open).toEqual([]);
  });

  it("caps sizes and steps at the limits the checks use", () => {
    expect(schema.properties.time.properties.steps.maximum).toBe(MAX_STEPS);
    expect(schema.properties.input.properties.shape.items.maximum).toBe(MAX_LAYER_NEURONS);
    for (const def of ["denseLayer", "readoutLayer"]) expect(schema.$defs[def].properties.size.maximum).toBe(MAX_LAYER_NEURONS);
    expect(schema.$defs.convLayer.properties.filters.maximum).toBe(MAX_LAYER_NEURONS);
  });
});
