// The README and the guide in docs/ hold together: every relative link names a file that exists
// (and, for `page.md#anchor`, a heading that page has, with GitHub's anchors), every `page.md §N`
// names a numbered section the page has, and every page of docs/ is linked from the README.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { headingSlug, pageAnchors, proseLines } from "../../scripts/docs/markdown-slug.ts";

const ROOT = join(import.meta.dirname, "..", "..");

function markdownUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? markdownUnder(p) : p.endsWith(".md") ? [p] : [];
  });
}

const PAGES = [join(ROOT, "README.md"), ...markdownUnder(join(ROOT, "docs"))];
const text = (file: string) => readFileSync(file, "utf8");
const at = (file: string, line: number) => `${relative(ROOT, file)}:${line + 1}`;

/** `[text](target)` and `![alt](target)` outside code, with the line each is on. */
function links(file: string): { line: number; target: string }[] {
  const found: { line: number; target: string }[] = [];
  for (const { line, text: prose } of proseLines(text(file))) {
    const withoutCode = prose.replace(/`[^`]*`/g, (m) => " ".repeat(m.length));
    for (const m of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push({ line, target: m[1] });
  }
  return found;
}

/** Numbered sections of a page: "## 2. Semantics" is §2. */
const sectionsOf = (file: string) => new Set([...text(file).matchAll(/^#{1,6} (\d+)\. /gm)].map((m) => m[1]));

describe("links in the README and docs/", () => {
  it("makes anchors as GitHub does", () => {
    expect(headingSlug("What `npm start` does")).toBe("what-npm-start-does");
    expect(headingSlug("8. NIR (exchange with the neuromorphic ecosystem)")).toBe("8-nir-exchange-with-the-neuromorphic-ecosystem");
    expect(headingSlug("Every command's help")).toBe("every-commands-help");
    expect(headingSlug("Layer object: `dense`")).toBe("layer-object-dense");
    expect(headingSlug("`training.optimizer`")).toBe("trainingoptimizer");
    expect([...pageAnchors("# A\n## A\n```\n# not a heading\n```\n")]).toEqual(["a", "a-1"]);
  });

  it("resolves every relative link and anchor", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of PAGES) {
      for (const { line, target } of links(file)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        checked++;
        const [path, anchor] = target.split("#", 2);
        const dest = path === "" ? file : resolve(dirname(file), decodeURIComponent(path));
        if (!existsSync(dest)) broken.push(`${at(file, line)}: ${target}: no such file`);
        else if (anchor !== undefined && !(dest.endsWith(".md") && pageAnchors(text(dest)).has(anchor)))
          broken.push(`${at(file, line)}: ${target}: ${relative(ROOT, dest)} has no heading with the anchor #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it("resolves every § reference to a numbered section of the page it names (the page itself when it names none)", () => {
    const broken: string[] = [];
    for (const file of PAGES) {
      for (const { line, text: prose } of proseLines(text(file))) {
        for (const m of prose.matchAll(/(?:((?:[\w.-]+\/)*[\w.-]+\.md)(?:\]\([^)]*\))? )?§(\d+)/g)) {
          const named = m[1];
          const dest = named === undefined ? file : named.startsWith("docs/") ? join(ROOT, named) : resolve(dirname(file), named);
          if (!existsSync(dest)) broken.push(`${at(file, line)}: ${m[0]}: no such page`);
          else if (!sectionsOf(dest).has(m[2])) broken.push(`${at(file, line)}: ${m[0]}: ${relative(ROOT, dest)} has no section ${m[2]}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("gives no two headings of a page the same anchor (a link could reach only the first)", () => {
    const repeated: string[] = [];
    for (const file of PAGES) {
      const slugs = proseLines(text(file)).flatMap(({ text: t }) => {
        const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(t);
        return h ? [headingSlug(h[1])] : [];
      });
      for (const s of new Set(slugs)) if (slugs.filter((x) => x === s).length > 1) repeated.push(`${relative(ROOT, file)}#${s}`);
    }
    expect(repeated).toEqual([]);
  });

  it("links every page of docs/ from the README", () => {
    const readme = join(ROOT, "README.md");
    const linked = new Set(links(readme).map(({ target }) => resolve(ROOT, target.split("#")[0])));
    const pages = readdirSync(join(ROOT, "docs")).filter((n) => n.endsWith(".md"));
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expect(pages.filter((n) => !linked.has(join(ROOT, "docs", n)))).toEqual([]);
  });

  it("keeps the README a front door: at most 200 lines", () => {
    expect(text(join(ROOT, "README.md")).split("\n").length).toBeLessThanOrEqual(201);
  });
});
