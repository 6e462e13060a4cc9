// Template rendering: Handlebars in strict mode (a missing name is an error, never an empty
// string) with no HTML escaping (`<` and `&&` are C++, not markup). Every template file can be
// used as a partial under its path without `.hbs`: `{{> cpu/kernels/forward-lif}}`, or
// `{{> (lookup . "partial")}}` when the context names it (one partial per kernel kind).

import Handlebars from "handlebars";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PACKAGE_ROOT } from "../util/package-root.ts";

export const TEMPLATE_ROOT = join(PACKAGE_ROOT, "templates");

export class TemplateError extends Error {}

// The one helper templates get: choosing a stage's block by its kind. Arithmetic stays in TypeScript.
Handlebars.registerHelper("eq", (a: unknown, b: unknown) => a === b);

const compiled = new Map<string, Handlebars.TemplateDelegate>();
const partialSets = new Map<string, Record<string, string>>();

/** Renders templates/<path> (e.g. "cpu/kernels.cpp.hbs") with the given context. */
export function renderTemplate(path: string, context: object, root = TEMPLATE_ROOT): string {
  const file = join(root, path);
  let template = compiled.get(file);
  if (!template) {
    template = Handlebars.compile(readFileSync(file, "utf8"), { strict: true, noEscape: true });
    compiled.set(file, template);
  }
  try {
    return template(context, { partials: partialsOf(root) });
  } catch (e) {
    throw new TemplateError(`template ${path}: ${(e as Error).message}`);
  }
}

function partialsOf(root: string): Record<string, string> {
  let set = partialSets.get(root);
  if (!set) {
    set = Object.fromEntries(listTemplates(root).map((t) => [t.replace(/\.hbs$/, ""), readFileSync(join(root, t), "utf8")]));
    partialSets.set(root, set);
  }
  return set;
}

/** Every template file under root, as paths relative to it. */
export function listTemplates(root = TEMPLATE_ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".hbs")) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}
