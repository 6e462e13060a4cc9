// Finding one kernel in emitted source for `snnc inspect --emit <kernel>`: the function's
// definition with the comment block above it, or, for kernels the backend inlines into a launcher
// (the CPU backend's Adam updates), the section its `// <name>` marker heads.

export interface KernelSource {
  file: string;
  /** 1-based, inclusive. */
  firstLine: number;
  lastLine: number;
  text: string;
  /** Set when the kernel is a marked section inside this function rather than a function. */
  within?: string;
}

/** Searches the files in order (put the kernels file first); null when the name is not found. */
export function findKernelSource(files: { path: string; content: string }[], name: string): KernelSource | null {
  for (const f of files) {
    const hit = findFunction(f.content, name);
    if (hit) return { file: f.path, ...hit };
  }
  for (const f of files) {
    const hit = findMarkedSection(f.content, name);
    if (hit) return { file: f.path, ...hit };
  }
  return null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every top-level function definition named `name`, e.g. `void name(…) {` or `__global__ void … name(`. */
function findFunction(source: string, name: string): Omit<KernelSource, "file"> | null {
  const lines = source.split("\n");
  const head = new RegExp(`^[A-Za-z_].*\\b${escape(name)}\\s*\\(`);
  for (let i = 0; i < lines.length; i++) {
    if (!head.test(lines[i]) || /^\s*(\/\/|#|return\b)/.test(lines[i])) continue;
    const open = findBodyStart(lines, i, name);
    if (!open) continue;
    const end = matchBrace(lines, open.line, open.col);
    if (end < 0) continue;
    let first = i;
    // Signature lines above (template <…>, __global__ __launch_bounds__(…) on their own line).
    while (first > 0 && isSignaturePart(lines[first - 1])) first--;
    // The comment block directly above.
    while (first > 0 && /^\s*\/\//.test(lines[first - 1])) first--;
    return { firstLine: first + 1, lastLine: end + 1, text: lines.slice(first, end + 1).join("\n") };
  }
  return null;
}

function isSignaturePart(line: string): boolean {
  const t = line.trim();
  if (t === "" || t.startsWith("//") || t.startsWith("#")) return false;
  return /^(template\s*<|__global__|__device__|__host__|__launch_bounds__|static\b|inline\b|extern\b)/.test(t) && !/[;{}]\s*$/.test(t);
}

/** After the name's `(`: the `{` that opens a body, or null when a `;` (a declaration or a call) comes first. */
function findBodyStart(lines: string[], line: number, name: string): { line: number; col: number } | null {
  let depth = 0;
  let started = false;
  for (let l = line; l < lines.length && l < line + 40; l++) {
    const text = stripComment(lines[l]);
    const from = l === line ? text.search(new RegExp(`\\b${escape(name)}\\s*\\(`)) : 0;
    for (let c = Math.max(0, from); c < text.length; c++) {
      const ch = text[c];
      if (ch === "(") {
        depth++;
        started = true;
      } else if (ch === ")") depth--;
      else if (started && depth === 0) {
        if (ch === "{") return { line: l, col: c };
        if (ch === ";") return null;
      }
    }
  }
  return null;
}

/** The line of the `}` closing the `{` at (line, col); -1 if none. */
function matchBrace(lines: string[], line: number, col: number): number {
  let depth = 0;
  for (let l = line; l < lines.length; l++) {
    const text = stripComment(lines[l]);
    for (let c = l === line ? col : 0; c < text.length; c++) {
      if (text[c] === "{") depth++;
      else if (text[c] === "}" && --depth === 0) return l;
    }
  }
  return -1;
}

/** Drops a // comment and the contents of string and character literals (they may hold braces). */
function stripComment(line: string): string {
  return line
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/\/\/.*$/, "");
}

/** A `// name` marker line inside a function and the lines it heads (to the next marker, blank line or dedent). */
function findMarkedSection(source: string, name: string): Omit<KernelSource, "file"> | null {
  const lines = source.split("\n");
  // Indented: a marker sits inside a function body (a top-level comment belongs to a definition).
  const marker = new RegExp(`^(\\s+)//\\s*${escape(name)}(:.*)?\\s*$`);
  for (let i = 0; i < lines.length; i++) {
    const m = marker.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].length;
    let end = i;
    for (let l = i + 1; l < lines.length; l++) {
      if (lines[l].startsWith("#")) continue;
      const t = lines[l];
      if (t.trim() === "") break;
      const ind = t.length - t.trimStart().length;
      if (ind < indent || (ind === indent && t.trimStart().startsWith("//"))) break;
      end = l;
    }
    let within: string | undefined;
    for (let l = i - 1; l >= 0; l--) {
      const fn = /^[A-Za-z_][\w:<>,*&\s]*?\b([A-Za-z_]\w*)\s*\(.*\{\s*$/.exec(lines[l]);
      if (fn) {
        within = fn[1];
        break;
      }
      if (/^\}/.test(lines[l])) break;
    }
    return { firstLine: i + 1, lastLine: end + 1, text: lines.slice(i, end + 1).join("\n"), within };
  }
  return null;
}
