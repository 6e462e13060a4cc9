// A generated part of a hand-written page lives between two marker comments, so the prose around
// it stays editable and the part the code owns can be rewritten (and checked) on its own:
//
//   <!-- generated: spec-fields (npx tsx scripts/docs/generate-docs.ts) -->
//   …
//   <!-- /generated: spec-fields -->

export const REGENERATE = "npx tsx scripts/docs/generate-docs.ts";

const open = (name: string) => `<!-- generated: ${name} (${REGENERATE}; do not edit by hand) -->`;
const close = (name: string) => `<!-- /generated: ${name} -->`;

/** The page with the block `name` replaced by `body`; throws when the markers are missing. */
export function replaceBlock(page: string, name: string, body: string): string {
  const start = page.indexOf(open(name));
  const end = page.indexOf(close(name));
  if (start < 0 || end < start) throw new Error(`no generated block "${name}": the page needs the lines\n${open(name)}\n${close(name)}`);
  return page.slice(0, start) + open(name) + "\n\n" + body.trimEnd() + "\n\n" + page.slice(end);
}

/** The two marker lines with nothing between them, for a new page. */
export function emptyBlock(name: string): string {
  return `${open(name)}\n${close(name)}`;
}
