// The anchors GitHub gives a page's headings (github-slugger's rule), so generated pages can link
// to their own sections and test/docs can check every `page.md#anchor` link without a renderer.

/** The slug of one heading's text: inline markup dropped, lower case, punctuation removed, spaces → "-". */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link or image keeps its text
    .replace(/<[^>]+>/g, ""); // inline HTML tags vanish from the rendered text
  // github-slugger keeps letters, marks, digits, connector punctuation ("_"), spaces and "-".
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Lines outside fenced code blocks, with their 0-based line numbers (headings and links live there). */
export function proseLines(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | null = null;
  markdown.split("\n").forEach((text, line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(text);
    if (m) {
      if (fence === null) fence = m[1][0];
      else if (m[1][0] === fence) fence = null;
      return;
    }
    if (fence === null) out.push({ line, text });
  });
  return out;
}

/** Every anchor a page defines: its headings' slugs (repeats get -1, -2, … as on GitHub) and explicit ids. */
export function pageAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (h) {
      const base = headingSlug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}
