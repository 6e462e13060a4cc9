// Structural validation against snnc-spec.schema.json, with ajv's errors rewritten as sentences
// a user can act on. The schema dispatches layers and encodings on "kind" with if/then, so a
// wrong kind yields one enum error and a right kind yields only that kind's errors; the if/then
// bookkeeping errors themselves are dropped here.

import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import schema from "./snnc-spec.schema.json" with { type: "json" };
import { dedupe, describeValue, jsonType, pointerOf, type Finding } from "./problem.ts";
import { closestKey } from "./suggest.ts";

export const specSchema: Readonly<Record<string, unknown>> = schema;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // verbose: errors carry the offending value and the schema around it (for allowed keys).
    // allowUnionTypes: a τ is a number or a per-neuron distribution object.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    // VS Code shows this message for a failed "pattern"; we show the same one.
    ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Problems with the document's structure, types and ranges; [] when it matches the schema. */
export function checkSchema(doc: unknown): Finding[] {
  const validate = validator();
  if (validate(doc)) return [];
  const findings = (validate.errors ?? []).map(translate).filter((f): f is Finding => f !== undefined);
  // A value of neither type of a union (a τ: number or distribution object) also fails the
  // object branch's own type: one sentence per place is enough.
  const unionAt = new Set(findings.filter((f) => f.message.startsWith("must be a number or")).map((f) => f.pointer));
  return dedupe(findings.filter((f) => !(unionAt.has(f.pointer) && f.message.startsWith("must be an object"))));
}

// Bookkeeping keywords: their failures are always accompanied by the real error inside.
const NOISE = new Set(["if", "then", "else", "allOf", "anyOf", "oneOf", "not"]);

const ARTICLE: Record<string, string> = {
  integer: "an integer",
  object: "an object",
  array: "an array",
  "number,object": "a number or a distribution object",
};

function translate(e: ErrorObject): Finding | undefined {
  if (NOISE.has(e.keyword)) return undefined;
  const pointer = e.instancePath;
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { pointer, message: `missing required field "${String(p.missingProperty)}"` };
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as Record<string, unknown>);
      const guess = closestKey(key, allowed);
      return {
        pointer: pointer + pointerOf(key),
        message: `unknown field "${key}"`,
        hint: guess ? `did you mean "${guess}"?` : `allowed fields: ${allowed.join(", ")}`,
      };
    }
    case "type": {
      const want = String(p.type);
      // 1e999 parses to Infinity, which ajv rejects as a number.
      if (typeof e.data === "number" && !Number.isFinite(e.data)) return { pointer, message: `must be a finite number, got ${e.data}` };
      const got = typeof e.data === "number" ? String(e.data) : jsonType(e.data);
      return { pointer, message: `must be ${ARTICLE[want] ?? `a ${want}`}, got ${got}` };
    }
    case "enum": {
      const values = (p.allowedValues as unknown[]) ?? [];
      const kindOf = /\/(layers\/\d+|encoding|optimizer)\/kind$/.exec(pointer);
      if (kindOf) {
        const what = kindOf[1].startsWith("layers") ? "layer" : kindOf[1];
        const list = values.length === 1 ? String(values[0]) : `one of ${values.join(", ")}`;
        return { pointer, message: `unknown ${what} kind ${describeValue(e.data)} (expected ${list})` };
      }
      return { pointer, message: `must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(e.data)}` };
    }
    case "const":
      return { pointer, message: `must be ${JSON.stringify(p.allowedValue)}, got ${describeValue(e.data)}` };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return { pointer, message: `must be ${String(p.comparison)} ${String(p.limit)}, got ${describeValue(e.data)}` };
    case "minItems":
      return { pointer, message: `must have at least ${String(p.limit)} ${items(Number(p.limit))}, got ${countOf(e.data)}` };
    case "maxItems":
      return { pointer, message: `must have at most ${String(p.limit)} ${items(Number(p.limit))}, got ${countOf(e.data)}` };
    case "pattern": {
      const friendly = parent.patternErrorMessage;
      return { pointer, message: typeof friendly === "string" ? friendly : `must match the pattern ${String(p.pattern)}` };
    }
    default:
      // A keyword the schema may gain later: ajv's own wording is still better than silence.
      return { pointer, message: e.message ?? `fails the schema's "${e.keyword}" rule` };
  }
}

function items(n: number): string {
  return n === 1 ? "item" : "items";
}

function countOf(data: unknown): string {
  return Array.isArray(data) ? String(data.length) : "?";
}
