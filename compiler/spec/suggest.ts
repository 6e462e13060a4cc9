// "Did you mean …?" for unknown keys. Keys are compared after folding case and dropping "_"/"-",
// so `tauMs`, `TAU_MS` and `tau-ms` all find `tau_ms`; a bare name missing its unit suffix
// (`tau` for `tau_ms`, `dt` for `dt_ms`) is matched as a prefix.

function fold(s: string): string {
  return s.toLowerCase().replace(/[_-]/g, "");
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions ("stpes"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** The allowed key the user most likely meant, or undefined when none is close. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const k = fold(key);
  let best: { name: string; score: number } | undefined;
  for (const name of allowed) {
    const n = fold(name);
    let score = editDistance(k, n);
    const limit = Math.max(k.length, n.length) <= 4 ? 1 : 2;
    // A unit-less prefix such as "tau" for "tau_ms" counts as a near miss.
    if (score > limit && k.length >= 2 && name.toLowerCase().startsWith(key.toLowerCase() + "_")) score = limit;
    if (score > limit) continue;
    if (!best || score < best.score) best = { name, score };
  }
  return best?.name;
}
