// Reading spec files: unreadable files are one problem, and loadSpecOrThrow's error prints the
// same lines `snnc validate` would.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatProblem, loadSpecFile, loadSpecOrThrow, SpecError } from "../../compiler/spec/index.ts";
import { baseSpec } from "./base-spec.ts";

const dir = mkdtempSync(join(tmpdir(), "snnc-spec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loading spec files", () => {
  it("reports a missing file as one problem", () => {
    const path = join(dir, "nope.json");
    expect(loadSpecFile(path)).toEqual({
      ok: false,
      problems: [{ file: path, pointer: "", message: "cannot read the spec: no such file" }],
    });
  });

  it("reports a directory as one problem", () => {
    const result = loadSpecFile(dir);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([`${dir}: /: cannot read the spec: it is a directory`]);
  });

  it("returns the resolved spec, the raw document and the text", () => {
    const path = join(dir, "good.json");
    const text = JSON.stringify(baseSpec());
    writeFileSync(path, text);
    const loaded = loadSpecOrThrow(path);
    expect(loaded.text).toBe(text);
    expect(loaded.raw).toEqual(baseSpec());
    expect(loaded.spec.training.seed).toBe(0);
  });

  it("accepts a byte-order mark", () => {
    const path = join(dir, "bom.json");
    writeFileSync(path, "\ufeff" + JSON.stringify(baseSpec()));
    expect(loadSpecFile(path).ok).toBe(true);
  });

  it("throws a SpecError whose message lists every problem, one per line", () => {
    const path = join(dir, "bad.json");
    const spec = baseSpec();
    spec.time.steps = 1;
    spec.training.batch = 0;
    writeFileSync(path, JSON.stringify(spec));
    let caught: unknown;
    try {
      loadSpecOrThrow(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SpecError);
    const err = caught as SpecError;
    expect(err.problems).toHaveLength(2);
    expect(err.message).toBe(`${path}: /time/steps: must be >= 2, got 1\n${path}: /training/batch: must be >= 1, got 0`);
  });
});

describe("formatProblem", () => {
  it("writes the root pointer as / and the hint in parentheses", () => {
    expect(formatProblem({ file: "a.json", pointer: "", message: "m" })).toBe("a.json: /: m");
    expect(formatProblem({ file: "a.json", pointer: "/x/0", message: "m", hint: "h" })).toBe("a.json: /x/0: m (h)");
  });
});
