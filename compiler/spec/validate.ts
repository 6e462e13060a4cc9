// The validation pipeline: JSON syntax → schema → cross-field rules → defaults. Each stage runs
// only when the one before passed, because later rules assume the structure earlier ones check;
// within a stage every problem is reported, so a user fixes a file in as few runs as possible.

import { readFileSync } from "node:fs";
import { checkLayers } from "./check-layers.ts";
import { checkNeurons } from "./check-neurons.ts";
import { checkParams } from "./check-params.ts";
import { checkRecurrence } from "./check-recurrence.ts";
import { checkTau } from "./check-tau.ts";
import { checkTraining } from "./check-training.ts";
import { resolveSpec } from "./defaults.ts";
import { parseJson } from "./json-syntax.ts";
import { dedupe, SpecError, type Finding, type SpecProblem } from "./problem.ts";
import { checkSchema } from "./schema-check.ts";
import type { NetworkSpec, ResolvedSpec } from "./types.ts";

export type SpecResult =
  | { ok: true; spec: ResolvedSpec; raw: NetworkSpec; text: string }
  | { ok: false; problems: SpecProblem[] };

export function checkSpecText(text: string, file: string): SpecResult {
  const fail = (findings: Finding[]): SpecResult => ({
    ok: false,
    problems: dedupe(findings).map((f) => ({ file, ...f })),
  });

  const parsed = parseJson(text);
  if (!parsed.ok) return fail([parsed.problem]);

  const structural = checkSchema(parsed.value);
  if (structural.length > 0) return fail(structural);

  const raw = parsed.value as NetworkSpec;
  const semantic = [...checkLayers(raw), ...checkParams(raw), ...checkNeurons(raw), ...checkRecurrence(raw), ...checkTau(raw), ...checkTraining(raw)];
  if (semantic.length > 0) return fail(semantic);

  return { ok: true, spec: resolveSpec(raw), raw, text };
}

export function loadSpecFile(path: string): SpecResult {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    return { ok: false, problems: [{ file: path, pointer: "", message: readFailure(err) }] };
  }
  return checkSpecText(text, path);
}

export function loadSpecOrThrow(path: string): { spec: ResolvedSpec; raw: NetworkSpec; text: string } {
  const result = loadSpecFile(path);
  if (!result.ok) throw new SpecError(result.problems);
  return { spec: result.spec, raw: result.raw, text: result.text };
}

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "cannot read the spec: no such file";
  if (code === "EISDIR") return "cannot read the spec: it is a directory";
  if (code === "EACCES") return "cannot read the spec: permission denied";
  return `cannot read the spec: ${err instanceof Error ? err.message : String(err)}`;
}
