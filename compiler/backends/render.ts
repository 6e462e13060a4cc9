// Template rendering: Handlebars in strict mode (a missing name is an error, never an empty
// string) with no HTML escaping (`<` and `&&` are C++, not markup).

import Handlebars from "handlebars";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const TEMPLATE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "templates");

export class TemplateError extends Error {}

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders templates/<path> (e.g. "cpu/kernels.cpp.hbs") with the given context. */
export function renderTemplate(path: string, context: object, root = TEMPLATE_ROOT): string {
  const file = join(root, path);
  let template = cache.get(file);
  if (!template) {
    template = Handlebars.compile(readFileSync(file, "utf8"), { strict: true, noEscape: true });
    cache.set(file, template);
  }
  try {
    return template(context);
  } catch (e) {
    throw new TemplateError(`template ${path}: ${(e as Error).message}`);
  }
}
