// Sparse vs dense timings for the report, from an optional bench.json in the run directory.
// Accepted shapes (whatever `snnc bench` or a user script wrote):
//   - `snnc bench --out`: {format: "snnc-bench/2", configs: [{model, sparse, dense, …}]} (one row set per model);
//   - StepTiming objects (runtime/bench/bench.ts: {backward: "sparse"|"dense", stepMs: {median}, kernels: [[name, ms]…]}),
//     as an array, or as values of an object (e.g. {"sparse": {...}, "dense": {...}}), or under "results"/"timings";
//   - rows {label|name, sparseMs|sparse_ms|sparse, denseMs|dense_ms|dense}, as an array or under "rows".
// The result is a list of comparisons in milliseconds: the whole step first, then each kernel
// whose name differs only by "sparse"/"dense" (backward_sparse_l1 vs backward_dense_l1 → backward_*_l1).

export interface BenchRow {
  label: string;
  sparseMs: number | null;
  denseMs: number | null;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);
const numOf = (...xs: unknown[]): number | null => {
  for (const x of xs) {
    if (typeof x === "number" && Number.isFinite(x)) return x;
    if (isObj(x) && typeof x.median === "number") return x.median;
  }
  return null;
};

function candidates(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  if (!isObj(json)) return [];
  // `snnc bench --out` (format snnc-bench/2): {configs: [{model, sparse: StepTiming, dense: StepTiming, …}]}.
  if (Array.isArray(json.configs))
    return json.configs.filter(isObj).flatMap((c) =>
      [c.sparse, c.dense].filter(isObj).map((t) => ({ ...t, backend: `${typeof t.backend === "string" ? `${t.backend} ` : ""}${String(c.model)}` })),
    );
  // The older CLI's {…, timings: {sparse, dense}}.
  if (isObj(json.timings) && !Array.isArray(json.timings)) return Object.values(json.timings);
  for (const key of ["rows", "results", "timings", "runs"]) if (Array.isArray(json[key])) return json[key] as unknown[];
  return Object.values(json);
}

export function benchRows(json: unknown): BenchRow[] {
  const items = candidates(json).filter(isObj);
  const timings = items.filter((t) => (t.backward === "sparse" || t.backward === "dense") && (t.stepMs !== undefined || t.kernelMs !== undefined));
  if (timings.length > 0) {
    const rows = new Map<string, BenchRow>();
    const put = (label: string, variant: "sparse" | "dense", ms: number | null) => {
      if (ms === null) return;
      const row = rows.get(label) ?? { label, sparseMs: null, denseMs: null };
      row[variant === "sparse" ? "sparseMs" : "denseMs"] = ms;
      rows.set(label, row);
    };
    for (const t of timings) {
      const variant = t.backward as "sparse" | "dense";
      const prefix = typeof t.backend === "string" ? `${t.backend} ` : "";
      put(`${prefix}training step`, variant, numOf(t.stepMs));
      if (Array.isArray(t.kernels))
        for (const k of t.kernels)
          if (Array.isArray(k) && typeof k[0] === "string" && /sparse|dense/.test(k[0])) put(`${prefix}${k[0].replace(/sparse|dense/, "*")}`, variant, numOf(k[1]));
    }
    return [...rows.values()];
  }
  return items
    .map((r) => ({
      label: String(r.label ?? r.name ?? r.kernel ?? r.what ?? "?"),
      sparseMs: numOf(r.sparseMs, r.sparse_ms, r.sparse),
      denseMs: numOf(r.denseMs, r.dense_ms, r.dense),
    }))
    .filter((r) => r.sparseMs !== null || r.denseMs !== null);
}
