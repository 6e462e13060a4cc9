// The table of NIR node types snnc imports: adding one is a module here and a line below.
// NIR types snnc cannot run yet are named with why, so the message says what is missing.

import { affine, linear } from "./linear.ts";
import { conv2d } from "./conv2d.ts";
import { cubaLi, cubaLif } from "./cuba-lif.ts";
import { ifNode } from "./if.ts";
import { flatten } from "./flatten.ts";
import { input } from "./input.ts";
import { li } from "./li.ts";
import { lif } from "./lif.ts";
import type { NodeImporter } from "./node-importer.ts";
import { output } from "./output.ts";
import { scale } from "./scale.ts";
import { sumPool } from "./sum-pool.ts";

export const NODE_IMPORTERS: ReadonlyMap<string, NodeImporter> = new Map(
  [input, output, linear, affine, scale, conv2d, flatten, lif, li, ifNode, cubaLif, cubaLi, sumPool].map((m) => [m.type, m]),
);

/** NIR node types that exist but have no snnc layer yet, and what each waits for. */
export const NOT_YET: Readonly<Record<string, string>> = {
  AvgPool2d: "snnc has no average pooling",
  Conv1d: "snnc has no 1-D convolution",
  I: "snnc has no pure integrator neuron",
  Threshold: "snnc has no stateless threshold node",
  Delay: "snnc has no synaptic delays",
  NIRGraph: "nested subgraphs are not supported (flatten the graph before export)",
};

export type { NodeImporter };
