// Rules of the code's shape that a refactor could quietly break: no import cycle among the
// compiler's and the runtime's modules, no stats slot written as a bare number outside its one
// definition (compiler/plan/stats-layout.ts), and design references that point at the project's
// own design document (docs/design.md) and at sections it has.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(ext)) out.push(resolve(p));
    }
  };
  walk(join(ROOT, dir));
  return out;
}

/** Value imports (type-only imports vanish at run time) from one module to the others. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const src = readFileSync(f, "utf8");
    const deps = [...src.matchAll(/^(import|export)(?!\s+type\b)[^;]*?from "(\.[^"]+)"/gms)].map((m) => resolve(dirname(f), m[2]));
    graph.set(f, deps.filter((d) => known.has(d)));
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const found: string[][] = [];
  const visit = (n: string, stack: string[]) => {
    state.set(n, "open");
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === "open") found.push([...stack.slice(stack.indexOf(d)), d].map((x) => relative(ROOT, x)));
      else if (!state.has(d)) visit(d, stack);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n, []);
  return found;
}

describe("code structure", () => {
  it("has no import cycle in compiler/ and runtime/", () => {
    const graph = importGraph([...filesUnder("compiler", ".ts"), ...filesUnder("runtime", ".ts")]);
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a cycle when there is one (the check is not vacuous)", () => {
    const g = new Map([["/a.ts", ["/b.ts"]], ["/b.ts", ["/c.ts"]], ["/c.ts", ["/a.ts"]]]);
    expect(cycles(g)).toHaveLength(1);
  });

  it("writes no stats slot as a number in a template: the kernels use the STAT_* constants", () => {
    for (const f of filesUnder("templates", ".hbs")) expect(readFileSync(f, "utf8"), relative(ROOT, f)).not.toMatch(/stats\[\s*\d/);
  });
});

describe("docs/design.md, the design document the code cites", () => {
  const design = readFileSync(join(ROOT, "docs", "design.md"), "utf8");
  const sections = new Set([...design.matchAll(/^## (\d+)\. /gm)].map((m) => m[1]));

  it("has the numbered sections", () => {
    expect([...sections]).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
  });

  it("is what every design reference in the code and the README points to, each at a section it has", () => {
    const sources = [
      ...["compiler", "runtime", "test", "scripts", "templates", "bench"].flatMap((d) => [...filesUnder(d, ".ts"), ...filesUnder(d, ".hbs"), ...filesUnder(d, ".py")]),
      join(ROOT, "README.md"),
    ].filter((f) => f !== import.meta.filename);
    let cited = 0;
    for (const f of sources) {
      const text = readFileSync(f, "utf8");
      expect(text, relative(ROOT, f)).not.toMatch(/DESIGN(\.md)?\b/);
      for (const m of text.matchAll(/docs\/design\.md §(\d+)/g)) {
        cited++;
        expect(sections.has(m[1]), `${relative(ROOT, f)} cites §${m[1]}`).toBe(true);
      }
    }
    expect(cited).toBeGreaterThan(5);
  });
});
