// Template rendering: Handlebars in strict mode (a missing name is an error, never an empty
// string) with no HTML escaping (`<` and `&&` are C++, not markup).

import Handlebars from "handlebars";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const TEMPLATE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "templates");

export class TemplateError extends Error {}

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders templates/<path> (e.g. "cpu/kernels.cpp.hbs") with the given context. Partials are the
 * files in the partials/ folder beside the template: `{{> stage-input}}` is partials/stage-input.hbs. */
export function renderTemplate(path: string, context: object, root = TEMPLATE_ROOT): string {
  const file = join(root, path);
  let template = cache.get(file);
  if (!template) {
    template = Handlebars.compile(readFileSync(file, "utf8"), { strict: true, noEscape: true });
    cache.set(file, template);
  }
  try {
    return template(context, { partials: partialsBeside(file) });
  } catch (e) {
    throw new TemplateError(`template ${path}: ${(e as Error).message}`);
  }
}

function partialsBeside(file: string): Record<string, string> {
  const dir = join(dirname(file), "partials");
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith(".hbs"))
      .map((name) => [basename(name, ".hbs"), readFileSync(join(dir, name), "utf8")]),
  );
}
