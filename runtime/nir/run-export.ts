// `snnc export`: a spec and its trained weights (a checkpoint, or the spec's seeded initial
// weights) → a NIR file.

import { exportNir } from "../../compiler/nir/export-graph.ts";
import type { Discretization, IfGain, ResetMode } from "../../compiler/nir/conventions.ts";
import { describeConventions } from "../../compiler/nir/describe-conventions.ts";
import { spikingLayers } from "../../compiler/ir/layers.ts";
import { hashSpecWithDescription, lowerSpec } from "../../compiler/ir/lower.ts";
import { loadSpecOrThrow, type ResolvedSpec } from "../../compiler/spec/index.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { acceptOlderSpecHash, checkSameSpec, loadCheckpoint } from "../checkpoint/checkpoint.ts";
import { loadInitWeights } from "../checkpoint/init-weights.ts";
import { initialWeights } from "../model/weight-init.ts";
import { writeNirFile } from "./nir-file.ts";
import { refuseOutOverInput } from "./out-path.ts";
import { withFile } from "./run-import.ts";

export interface ExportRunOptions {
  specPath: string;
  checkpoint?: string;
  out: string;
  /** The step the file's τ are measured against (default: the spec's time.dt_ms). */
  dtMs?: number;
  discretization: Discretization;
  /** Default: the reset of the spec's spiking layers (they must share one; NIR has one per file). */
  reset?: ResetMode;
  ifGain?: IfGain;
  log?: (line: string) => void;
}

export async function runExport(opts: ExportRunOptions): Promise<void> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  refuseOutOverInput(opts.out, [
    ["the spec being exported", opts.specPath],
    ["the checkpoint being exported", opts.checkpoint],
  ]);
  const { spec, raw } = loadSpecOrThrow(opts.specPath);
  const network = lowerSpec(spec);
  if (opts.checkpoint !== undefined) checkCheckpointSpec(opts.checkpoint, spec, network, opts.specPath);
  const weights = opts.checkpoint === undefined ? initialWeights(network, network.training.seed) : loadInitWeights(opts.checkpoint, network);
  const reset = opts.reset ?? spikingLayers(network)[0]?.neuron.reset ?? "subtract";
  const conventions = { dtMs: opts.dtMs ?? spec.time.dt_ms, discretization: opts.discretization, reset, ifGain: opts.ifGain };
  const graph = withFile(opts.specPath, () => exportNir(spec, weights, conventions, raw));
  await writeNirFile(opts.out, graph);
  log(`wrote ${opts.out}: ${graph.nodes.size} nodes, ${opts.checkpoint === undefined ? `the spec's initial weights (seed ${network.training.seed})` : `weights of ${opts.checkpoint}`}`);
  const hasIf = [...graph.nodes.values()].some((n) => n.type === "IF");
  const flags = `--dt-ms ${conventions.dtMs} --discretization ${conventions.discretization} --reset ${reset}${hasIf ? ` --if-gain ${conventions.ifGain ?? "literal"}` : ""}`;
  log(`written for ${describeConventions(conventions, [...graph.nodes.values()].map((n) => n.type))}; import it with ${flags}`);
}

/** The checkpoint must be of this spec, as `snnc eval` and `--resume` require: weights trained
 *  with another threshold, τ or name would be written into the file as if they were this
 *  network's. Refused with both names and hashes (checkSameSpec). */
function checkCheckpointSpec(path: string, spec: ResolvedSpec, network: Network, specPath: string): void {
  const ckpt = loadCheckpoint(path);
  acceptOlderSpecHash(ckpt, hashSpecWithDescription(spec), network.specHash);
  checkSameSpec(ckpt, { network }, specPath);
}
