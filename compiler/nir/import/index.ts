// The table of NIR node types snnc imports: adding one is a module here and a line below.
// NIR types snnc cannot run yet are named with why, so the message says what is missing.

import { affine, linear } from "./linear.ts";
import { conv2d } from "./conv2d.ts";
import { flatten } from "./flatten.ts";
import { input } from "./input.ts";
import { li } from "./li.ts";
import { lif } from "./lif.ts";
import type { NodeImporter } from "./node-importer.ts";
import { output } from "./output.ts";
import { scale } from "./scale.ts";

export const NODE_IMPORTERS: ReadonlyMap<string, NodeImporter> = new Map(
  [input, output, linear, affine, scale, conv2d, flatten, lif, li].map((m) => [m.type, m]),
);

/** NIR node types that exist but have no snnc layer yet, and what each waits for. */
export const NOT_YET: Readonly<Record<string, string>> = {
  CubaLIF: "current-based synapses are not in snnc yet",
  CubaLI: "current-based synapses are not in snnc yet",
  IF: "IF neurons (no leak) are not in snnc yet",
  SumPool2d: "sum-pooling is not in snnc yet",
  AvgPool2d: "snnc has no average pooling",
  Conv1d: "snnc has no 1-D convolution",
  I: "snnc has no pure integrator neuron",
  Threshold: "snnc has no stateless threshold node",
  Delay: "snnc has no synaptic delays",
  NIRGraph: "nested subgraphs are not supported (flatten the graph before export)",
};

export type { NodeImporter };
