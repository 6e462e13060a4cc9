// A tiny plain-text table formatter for the CLI: columns padded to their widest cell, numbers
// right-aligned, two spaces between columns, no box drawing (copy-pastes cleanly into issues).

export type Align = "left" | "right";

export interface Column {
  header: string;
  align?: Align;
}

export interface TableOptions {
  /** Prefix for every line (e.g. two spaces under a heading). */
  indent?: string;
  /** Print the header and a rule of dashes under it (default true). */
  header?: boolean;
}

/** Rows are arrays of cells; a row that is a string is printed as is (a group label or a note). */
export function table(columns: (Column | string)[], rows: (string | (string | number)[])[], opts: TableOptions = {}): string {
  const cols: Column[] = columns.map((c) => (typeof c === "string" ? { header: c } : c));
  const indent = opts.indent ?? "";
  const showHeader = opts.header ?? true;
  const cells = rows.map((r) => (typeof r === "string" ? r : r.map((c) => String(c))));
  const widths = cols.map((c, k) =>
    Math.max(
      showHeader ? width(c.header) : 0,
      ...cells.map((r) => (typeof r === "string" ? 0 : width(r[k] ?? ""))),
    ),
  );
  const line = (r: string[]) =>
    (indent +
      r
        .map((cell, k) => {
          const pad = " ".repeat(Math.max(0, widths[k] - width(cell)));
          return (cols[k]?.align ?? "left") === "right" ? pad + cell : cell + pad;
        })
        .join("  ")).trimEnd();
  const out: string[] = [];
  if (showHeader) {
    out.push(line(cols.map((c) => c.header)));
    out.push(line(widths.map((w) => "-".repeat(w))));
  }
  for (const r of cells) out.push(typeof r === "string" ? (indent + r).trimEnd() : line(r));
  return out.join("\n");
}

/** Display width: code points, so α, →, × and ∂ count as one column each. */
function width(s: string): number {
  return [...s].length;
}

/** 1536 → "1.5 KiB"; exact below 1000 B; from 1000 of a unit on, the next unit (1024000 → "0.98 MiB"). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} B` : `${v.toFixed(v >= 100 ? 0 : v >= 1 ? 1 : 2)} ${units[u]}`;
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
