// One thing wrong with a spec, as the user sees it: the file, the JSON pointer of the offending
// value (RFC 6901, "" for the whole document) and a plain sentence. Every stage of validation
// reports through this type so `snnc validate` can print all problems of a file at once.

export interface SpecProblem {
  file: string;
  pointer: string;
  message: string;
  hint?: string;
}

export function formatProblem(p: SpecProblem): string {
  return `${p.file}: ${p.pointer || "/"}: ${p.message}` + (p.hint ? ` (${p.hint})` : "");
}

export class SpecError extends Error {
  readonly problems: SpecProblem[];

  constructor(problems: SpecProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "SpecError";
    this.problems = problems;
  }
}

/** A problem before the file name is known; validate.ts attaches the file. */
export type Finding = Omit<SpecProblem, "file">;

export function pointerOf(...segments: (string | number)[]): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** Drops repeats of the same pointer and message, keeping the first, so overlapping checks stay quiet. */
export function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.pointer}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How a JSON value reads in a message: numbers and strings as written, other things by type. */
export function describeValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  return jsonType(value);
}

export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
