// One module per NIR node type turns that node into snnc layers (import/index.ts is the table).
// `previous` names the node before it on the chain, for messages.

import type { NirNode } from "../graph.ts";
import type { ImportContext } from "./context.ts";

export interface NodeImporter {
  type: string;
  import(name: string, node: NirNode, ctx: ImportContext, previous: string): void;
}
