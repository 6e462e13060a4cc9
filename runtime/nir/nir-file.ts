// NIR files (HDF5) through h5wasm, in the layout NIR's own reader and writer use (docs/design.md
// §8): `/version` (string), `/node` the graph with `type` = "NIRGraph", `edges` (N×2 strings),
// `nodes/<name>/` groups of `type` and parameter datasets (and an optional `metadata` group of
// their own), and an optional `metadata` group of the graph.
// Strings are variable-length UTF-8 (what h5py's string_dtype writes and h5wasm writes for a JS
// string); arrays are gzip-compressed (scalars cannot be chunked, so they are stored plain);
// integers are int64 as numpy writes them. The file is written to a temporary folder and then
// moved into place atomically (compiler/util/atomic-write.ts).

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../../compiler/util/atomic-write.ts";
import { hdf5CutShort } from "../util/hdf5-length.ts";
import { NirError, type NirArray, type NirDtype, type NirGraph, type NirNode, type NirValue } from "../../compiler/nir/graph.ts";

type H5 = typeof import("h5wasm/node");
type Group = InstanceType<H5["Group"]>;
type Dataset = InstanceType<H5["Dataset"]>;

/** The NIR version snnc writes (the layout above has not changed since NIR 1.0). */
export const NIR_VERSION = "1.0.0";

/** A note when a file's NIR version is not one whose layout snnc reads (1.x), else null. The
 *  import goes on (a newer minor layout is read alike, and what snnc cannot map is refused node by
 *  node anyway), but a user whose import looks wrong should know where to look. */
export function versionNote(path: string, version: string | null | undefined): string | null {
  if (version === undefined) return null;
  if (version === null) return `note: ${path} has no /version; snnc reads the layout of NIR ${NIR_VERSION.split(".")[0]}.x files, so check the imported spec`;
  if (/^1\.\d+(\.\d+)?([-+.].*)?$/.test(version)) return null;
  return `note: ${path} says NIR version ${JSON.stringify(version)}; snnc reads the layout of NIR 1.x files, so parts of this one may be misread: check the imported spec`;
}

let loading: Promise<H5> | undefined;
async function h5wasm(): Promise<H5> {
  loading ??= (async () => {
    const h5 = await import("h5wasm/node");
    const Module = await h5.default.ready;
    Module.activate_throwing_error_handler();
    return h5;
  })();
  return loading;
}

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;
/** numpy's bool (h5py writes an enum FALSE/TRUE over int8): read as the integer 0 or 1. */
const H5T_ENUM = 8;

// ---- reading ----

export async function readNirFile(path: string): Promise<NirGraph> {
  if (!existsSync(path)) throw new NirError(`${path}: no such file`);
  if (!statSync(path).isFile()) throw new NirError(`${path} is not a file`);
  const cut = hdf5CutShort(path); // h5wasm would call it "not an HDF5 file", or fail deep inside
  if (cut) throw new NirError(`${path} is an HDF5 file ${cut}`);
  const h5 = await h5wasm();
  let f: InstanceType<H5["File"]>;
  try {
    f = new h5.File(path, "r");
  } catch {
    throw new NirError(`${path} is not an HDF5 file, so not a NIR file`);
  }
  try {
    const root = get(f, "node");
    if (!(root instanceof h5.Group)) throw new NirError(`${path} is an HDF5 file but not a NIR file: it has no /node group`);
    const type = readType(h5, root);
    if (type !== "NIRGraph") throw new NirError(`${path} is not a NIR graph: /node/type is ${type === null ? "missing" : `"${type}"`}, not "NIRGraph"`);
    const version = get(f, "version");
    const v = version instanceof h5.Dataset ? safeValue(version) : undefined;
    return { ...readGraph(h5, root, path), version: typeof v === "string" ? v : null };
  } finally {
    f.close();
  }
}

function get(g: Group, name: string): unknown {
  try {
    return g.get(name);
  } catch {
    return null;
  }
}

function readType(h5: H5, g: Group): string | null {
  const t = get(g, "type");
  if (!(t instanceof h5.Dataset)) return null;
  const v = safeValue(t);
  return typeof v === "string" ? v : null;
}

function safeValue(ds: Dataset): unknown {
  try {
    return ds.value;
  } catch {
    return undefined;
  }
}

function readGraph(h5: H5, root: Group, path: string): NirGraph {
  const nodesGroup = get(root, "nodes");
  if (!(nodesGroup instanceof h5.Group)) throw new NirError(`${path}: the graph has no /node/nodes group`);
  const nodes = new Map<string, NirNode>();
  for (const name of nodesGroup.keys()) {
    const g = get(nodesGroup, name);
    if (!(g instanceof h5.Group)) throw new NirError(`${path}: /node/nodes/${name} is not a group, so not a node`);
    const type = readType(h5, g);
    if (type === null) throw new NirError(`${path}: node "${name}" has no "type" string`);
    const meta = get(g, "metadata");
    const metadata = meta instanceof h5.Group ? readParams(h5, meta, path, `node "${name}"'s metadata`, true) : undefined;
    nodes.set(name, { type, params: readParams(h5, g, path, `node "${name}"`), ...(metadata ? { metadata } : {}) });
  }
  const edgesDs = get(root, "edges");
  const edges: [string, string][] = [];
  if (edgesDs instanceof h5.Dataset) {
    const v = safeValue(edgesDs);
    const flat = v === "" || v === undefined ? null : typeof v === "string" ? [v] : Array.isArray(v) ? v : null;
    const shape = edgesDs.shape ?? [];
    const empty = shape.some((d) => d === 0);
    if (!empty && (flat === null || flat.some((x) => typeof x !== "string") || flat.length % 2 !== 0 || (shape.length === 2 && shape[1] !== 2)))
      throw new NirError(`${path}: /node/edges must be an N×2 array of node names`);
    if (!empty) for (let k = 0; k < flat!.length; k += 2) edges.push([flat![k] as string, flat![k + 1] as string]);
  } else if (edgesDs !== null) throw new NirError(`${path}: /node/edges is not a dataset`);
  const metaGroup = get(root, "metadata");
  const metadata = metaGroup instanceof h5.Group ? readParams(h5, metaGroup, path, "the graph's metadata", true) : {};
  return { nodes, edges, metadata };
}

/** A group's datasets as parameters (`type` aside); subgroups are skipped (a node's `metadata` is read on its own). */
function readParams(h5: H5, g: Group, path: string, what: string, lenient = false): Record<string, NirValue> {
  const params: Record<string, NirValue> = {};
  for (const key of g.keys()) {
    if (key === "type") continue;
    const ds = get(g, key);
    if (!(ds instanceof h5.Dataset)) continue;
    const v = readValue(ds);
    if (v === null) {
      if (lenient) continue;
      throw new NirError(`${path}: ${what}: parameter "${key}" has an HDF5 type snnc cannot read (numbers or strings expected)`);
    }
    params[key] = v;
  }
  return params;
}

function readValue(ds: Dataset): NirValue | null {
  const m = ds.metadata;
  const v = safeValue(ds);
  if (v === undefined) return null;
  if (m.type === H5T_STRING) return typeof v === "string" ? v : null;
  if (m.type !== H5T_FLOAT && m.type !== H5T_INTEGER && m.type !== H5T_ENUM) return null;
  const shape = ds.shape ?? [];
  const dtype: NirDtype = m.type === H5T_FLOAT ? (m.size === 4 ? "f32" : "f64") : "i64";
  let data: Float64Array;
  if (typeof v === "number") data = Float64Array.of(v);
  else if (typeof v === "bigint") data = Float64Array.of(Number(v));
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) data = Float64Array.from(v as unknown as ArrayLike<number | bigint>, Number);
  else return null;
  return { shape, data, dtype } satisfies NirArray;
}

// ---- writing ----

/** `version`: what /version says (null: none), NIR_VERSION but for tests of the reader's note. */
export async function writeNirFile(path: string, graph: NirGraph, version: string | null = NIR_VERSION): Promise<void> {
  const h5 = await h5wasm();
  const dir = mkdtempSync(join(tmpdir(), "snnc-nir-"));
  try {
    const tmp = join(dir, "graph.nir");
    const f = new h5.File(tmp, "w");
    try {
      if (version !== null) f.create_dataset({ name: "version", data: version });
      const root = f.create_group("node");
      root.create_dataset({ name: "type", data: "NIRGraph" });
      const nodes = root.create_group("nodes");
      for (const [name, node] of graph.nodes) {
        const g = nodes.create_group(name);
        g.create_dataset({ name: "type", data: node.type });
        for (const [key, v] of Object.entries(node.params)) writeValue(g, key, v);
      }
      const flat = graph.edges.flat();
      // An edgeless graph still needs an N×2 dataset; h5wasm cannot write an empty string array.
      if (flat.length > 0) root.create_dataset({ name: "edges", data: flat, shape: [graph.edges.length, 2] });
      const meta = root.create_group("metadata");
      for (const [key, v] of Object.entries(graph.metadata)) writeValue(meta, key, v);
    } finally {
      f.close();
    }
    writeFileAtomic(path, readFileSync(tmp));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeValue(g: Group, key: string, v: NirValue): void {
  if (typeof v === "string") {
    g.create_dataset({ name: key, data: v });
    return;
  }
  const data =
    v.dtype === "i64" ? BigInt64Array.from(v.data, (x) => BigInt(x)) : v.dtype === "f32" ? Float32Array.from(v.data) : Float64Array.from(v.data);
  const compress = v.shape.length > 0 && v.data.length > 1;
  g.create_dataset({ name: key, data, shape: v.shape, ...(compress ? { compression: "gzip" as const, chunks: v.shape } : {}) });
}
