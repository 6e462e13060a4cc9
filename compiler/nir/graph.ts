// The NIR graph as snnc holds it between the HDF5 file (runtime/nir/nir-file.ts) and the spec
// mapping (import-graph.ts, export-graph.ts). It mirrors the file layout of docs/design.md §8:
// nodes by name, each with its `type` and its parameters; edges as [from, to] pairs; the graph's
// own metadata. Pure data: no I/O here.

/** How a numeric parameter is stored: weights as float32 (so they stay bit-identical), integers
 *  (shapes, strides, dims) as int64 like numpy's default, everything else as float64. */
export type NirDtype = "f64" | "f32" | "i64";

/** A numeric parameter: row-major values and their shape ([] for a scalar dataset). */
export interface NirArray {
  shape: number[];
  data: Float64Array;
  dtype: NirDtype;
}

export type NirValue = NirArray | string;

export interface NirNode {
  type: string;
  params: Record<string, NirValue>;
  /** The node's own `metadata` group, when the file has one (strings and numbers; a boolean
   *  reads as 0 or 1). What an exporter says there (e.g. snnTorch's reset_delay) informs --from. */
  metadata?: Record<string, NirValue>;
}

export interface NirGraph {
  nodes: Map<string, NirNode>;
  edges: [string, string][];
  /** The graph's `metadata` group (strings and numbers only; readers must not depend on it). */
  metadata: Record<string, NirValue>;
  /** The file's `/version` as read (undefined: a graph built in memory; null: the file has none). */
  version?: string | null;
}

/** A NIR file or graph snnc cannot use: one sentence naming the node (or the file) and why. */
export class NirError extends Error {
  readonly userFacing = true;
  override readonly name = "NirError";
}

/** The same, for what the user fixes with a flag (a missing --dt-ms, a --from that does not fit): exit 2. */
export class NirUsageError extends NirError {
  readonly exitCode = 2;
}

export function nirArray(data: ArrayLike<number>, shape: number[] = [data.length], dtype: NirDtype = "f64"): NirArray {
  return { shape, data: Float64Array.from(data), dtype };
}

export function scalar(x: number, dtype: NirDtype = "f64"): NirArray {
  return { shape: [], data: Float64Array.of(x), dtype };
}

export const isArray = (v: NirValue | undefined): v is NirArray => typeof v === "object" && v !== null;

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Number of values of a shape. */
export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
