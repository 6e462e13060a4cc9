// snnc networks are chains: Input → … → Output, each node with one predecessor and one
// successor. This orders a NIR graph's nodes along that chain, or refuses its shape in one
// sentence: a branch, a merge (skip connection), a recurrent cycle, a node off the path.
// Recurrence (a cycle lif → w_rec → lif) is recognised here; when recurrent layers land, return
// the cycle's weight node with the chain instead of refusing it (see `recurrentCycle`).

import { NirError, type NirGraph } from "./graph.ts";

export function checkEdges(graph: NirGraph): void {
  graph.edges.forEach(([from, to], k) => {
    for (const end of [from, to])
      if (!graph.nodes.has(end)) throw new NirError(`edge ${k} (${from} → ${to}) names "${end}", which is not a node of the graph`);
  });
}

function neighbours(graph: NirGraph): { succ: Map<string, string[]>; pred: Map<string, string[]> } {
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const n of graph.nodes.keys()) {
    succ.set(n, []);
    pred.set(n, []);
  }
  for (const [from, to] of graph.edges) {
    succ.get(from)!.push(to);
    pred.get(to)!.push(from);
  }
  return { succ, pred };
}

/** A path from `from` back to `to` through successors, or null. */
function pathBetween(succ: Map<string, string[]>, from: string, to: string): string[] | null {
  const seen = new Set<string>();
  const walk = (n: string, path: string[]): string[] | null => {
    if (n === to) return path;
    if (seen.has(n)) return null;
    seen.add(n);
    for (const m of succ.get(n) ?? []) {
      const p = walk(m, [...path, m]);
      if (p) return p;
    }
    return null;
  };
  return walk(from, [from]);
}

function recurrentCycle(node: string, cycle: string[]): never {
  throw new NirError(`node "${node}" is recurrent (${[node, ...cycle.slice(1)].join(" → ")}); recurrent layers are not in snnc yet`);
}

function single(graph: NirGraph, type: string): string {
  const found = [...graph.nodes].filter(([, n]) => n.type === type).map(([k]) => k);
  if (found.length !== 1)
    throw new NirError(
      found.length === 0 ? `the graph has no ${type} node` : `the graph has ${found.length} ${type} nodes (${found.join(", ")}); snnc networks have one ${type.toLowerCase()}`,
    );
  return found[0];
}

/** The node names from Input to Output. */
export function chainOrder(graph: NirGraph): string[] {
  checkEdges(graph);
  const start = single(graph, "Input");
  const end = single(graph, "Output");
  const { succ, pred } = neighbours(graph);
  const order: string[] = [];
  const seen = new Set<string>();
  let at = start;
  for (;;) {
    if (seen.has(at)) recurrentCycle(at, pathBetween(succ, at, at) ?? [at]);
    seen.add(at);
    order.push(at);
    const ins = pred.get(at)!;
    if (at !== start && ins.length > 1) {
      for (const p of ins) {
        const back = p === at ? [at] : pathBetween(succ, at, p);
        if (back) recurrentCycle(at, [...back, at]);
      }
      throw new NirError(`node "${at}" has ${ins.length} inputs (${ins.join(", ")}); snnc networks are chains without merges or skip connections`);
    }
    if (at === start && ins.length > 0) throw new NirError(`the Input node "${at}" has an incoming edge from "${ins[0]}"`);
    const outs = succ.get(at)!;
    if (at === end) {
      if (outs.length > 0) throw new NirError(`the Output node "${at}" has an outgoing edge to "${outs[0]}"`);
      break;
    }
    if (outs.length === 0) throw new NirError(`node "${at}" has no outgoing edge, so the chain from "${start}" never reaches the Output "${end}"`);
    if (outs.length > 1) {
      for (const o of outs) {
        const back = o === at ? [at] : pathBetween(succ, o, at);
        if (back) recurrentCycle(at, [at, ...back]);
      }
      throw new NirError(`node "${at}" branches to ${outs.length} nodes (${outs.join(", ")}); snnc networks are chains without branches`);
    }
    at = outs[0];
  }
  const off = [...graph.nodes.keys()].filter((n) => !seen.has(n));
  if (off.length > 0) throw new NirError(`node "${off[0]}" is not on the path from "${start}" to "${end}"; snnc networks are chains`);
  return order;
}
