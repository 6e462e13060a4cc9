// What the layer exporters share: the nodes and edges written so far, chained from the last one
// (a recurrent weight node sits off the chain with its own two edges), and the conventions the
// file is written for.

import type { Network } from "../../ir/types.ts";
import type { Conventions } from "../conventions.ts";
import type { NirNode } from "../graph.ts";
import type { Decays } from "./lif-node.ts";

export class ExportContext {
  readonly nodes = new Map<string, NirNode>();
  readonly edges: [string, string][] = [];
  private last: string | null = null;

  constructor(
    readonly network: Network,
    readonly conventions: Conventions,
    /** Every tensor by name (per-neuron decays a<k>, as<k> are written as τ arrays). */
    readonly weights: ReadonlyMap<string, Float32Array> = new Map(),
  ) {}

  /** A spiking layer's per-neuron α and α_syn (docs/design.md §2.1), null where it has one τ. */
  decays(layer: { weights: { name: string; role: string }[] }): Decays {
    const get = (role: string) => {
      const t = layer.weights.find((w) => w.role === role);
      return t ? this.weights.get(t.name)! : null;
    };
    return { alpha: get("alpha"), alphaSyn: get("alpha_syn") };
  }

  /** Adds a node after the last one. */
  add(name: string, node: NirNode): void {
    if (this.nodes.has(name)) throw new Error(`internal error: NIR node ${name} written twice`);
    this.nodes.set(name, node);
    if (this.last !== null) this.edges.push([this.last, name]);
    this.last = name;
  }

  /** Adds a node off the chain (a recurrent weight node), its edges given by the caller. */
  addSide(name: string, node: NirNode): void {
    if (this.nodes.has(name)) throw new Error(`internal error: NIR node ${name} written twice`);
    this.nodes.set(name, node);
  }

  addEdge(from: string, to: string): void {
    this.edges.push([from, to]);
  }
}
