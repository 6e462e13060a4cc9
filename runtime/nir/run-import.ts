// `snnc import`: a NIR file → a spec file and a weights file (an epoch-0 checkpoint that
// `snnc eval` takes and `snnc train --init` starts from). The two are written together, so a full
// disk leaves neither (compiler/util/write-together.ts), and never over the input or, without
// --force, over files already there (import-paths.ts).

import { basename, extname } from "node:path";
import { importNir } from "../../compiler/nir/import-graph.ts";
import { checkConventions } from "../../compiler/nir/conventions.ts";
import { describeConventions } from "../../compiler/nir/describe-conventions.ts";
import { displayName, resolveConventions, type ConventionRequest } from "../../compiler/nir/frameworks.ts";
import { NirError, NirUsageError } from "../../compiler/nir/graph.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { resolveSpec } from "../../compiler/spec/index.ts";
import { writeFilesTogether } from "../../compiler/util/write-together.ts";
import { weightsCheckpointBytes } from "../checkpoint/init-weights.ts";
import { importPaths } from "./import-paths.ts";
import { readNirFile, versionNote } from "./nir-file.ts";

/** `from` names the exporter (its simulator's conventions: compiler/nir/frameworks.ts); the other
 *  convention fields override single parts of it. */
export interface ImportRunOptions extends ConventionRequest {
  file: string;
  /** The spec to write (default: <file's base name>.json in the current folder). */
  out?: string;
  /** Replace an existing spec or weights file (never the input). */
  force?: boolean;
  name?: string;
  steps?: number;
  /** Per-neuron τ read from the file is trained (`--learn-tau`). */
  learnTau?: boolean;
  log?: (line: string) => void;
}

export interface ImportRunResult {
  specPath: string;
  weightsPath: string;
  fromSnnc: boolean;
}

/** A spec name from a file name: letters, digits, "_" and "-", starting with a letter. */
export function nameFromFile(file: string): string {
  const base = basename(file, extname(file)).replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 60);
  return /^[A-Za-z]/.test(base) ? base : `nir-${base}`.slice(0, 64);
}

export async function runImport(opts: ImportRunOptions): Promise<ImportRunResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Before the file: a flag error needs no HDF5 read (the flags' own values, whatever fills the rest).
  checkConventions({ dtMs: opts.dtMs ?? 1, discretization: opts.discretization ?? "exact", reset: opts.reset ?? "subtract", ifGain: opts.ifGain });
  const { specPath, weightsPath } = importPaths(opts.file, opts.out, `${nameFromFile(opts.file)}.json`, opts.force);
  const graph = await readNirFile(opts.file);
  const note = versionNote(opts.file, graph.version);
  if (note) log(note);
  const { conventions, exporter, notes } = withFile(opts.file, () => resolveConventions(graph, opts));
  const result = withFile(opts.file, () =>
    importNir(graph, { ...conventions, exporter: exporter ?? undefined, name: opts.name, fallbackName: nameFromFile(opts.file), steps: opts.steps, source: basename(opts.file), learnTau: opts.learnTau }),
  );
  const network = lowerSpec(resolveSpec(result.spec));
  writeFilesTogether([
    { path: specPath, data: specText(result.spec) },
    { path: weightsPath, data: weightsCheckpointBytes(network, result.weights) },
  ]);
  log(`wrote ${specPath} (${network.layers.length} layers) and ${weightsPath} (${result.weights.size} weight tensors)`);
  const types = [...graph.nodes.values()].map((n) => n.type);
  log(`assumed ${describeConventions(conventions, types, exporter ? displayName(exporter) : undefined)}`);
  for (const line of notes) log(`  (${line})`);
  if (result.fromSnnc) log("training settings restored from the snnc metadata in the file");
  else log("time steps, input encoding, dataset and training are defaults: edit the spec for your data");
  log(`next: snnc eval ${specPath} ${weightsPath}   or   snnc train ${specPath} --init ${weightsPath}`);
  return { specPath, weightsPath, fromSnnc: result.fromSnnc };
}

/** A mapping error names the file it came from: `lif.nir: node "lif1" (LIF): …`. */
export function withFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NirError && !e.message.startsWith(`${file}`)) throw new (e instanceof NirUsageError ? NirUsageError : NirError)(`${file}: ${e.message}`);
    throw e;
  }
}

/** The spec as JSON, indented, with arrays of numbers on one line ("shape": [2, 34, 34]). */
export function specText(spec: object): string {
  const text = JSON.stringify(spec, null, 2).replace(/\[\s+([-\d.e+,\s]*?)\s+\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(", ")}]`);
  return `${text}\n`;
}
