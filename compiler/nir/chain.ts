// snnc networks are chains: Input → … → Output, each node with one predecessor and one
// successor. This orders a NIR graph's nodes along that chain, or refuses its shape in one
// sentence: a branch, a merge (skip connection), a cycle snnc cannot express, a node off the path.
// Recurrence (NIR's edge cycle lif → w_rec → lif, one square Linear or Affine between a neuron
// node and itself) is taken out of the walk and handed back as neuron node → weight node; every
// other cycle (a self-loop without weights, one spanning two layers) is refused.

import { formatShape, isArray, NirError, type NirGraph } from "./graph.ts";

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
  throw new NirError(
    `node "${node}" is recurrent (${[node, ...cycle.slice(1)].join(" → ")}); snnc's recurrence is a layer's own spikes through one square Linear or Affine node (lif → w_rec → lif)`,
  );
}

/** The graph in chain order, and each recurrent neuron node's cycle weight node. */
export interface NirChain {
  order: string[];
  /** Neuron node → the weight node of its cycle (neuron → weight → neuron). */
  recurrence: Map<string, string>;
}

/** Weight nodes whose only input and only output is one other node: that node's recurrence.
 *  A Linear or Affine must be square; anything else closing such a cycle is refused by name. */
function recurrentWeights(graph: NirGraph, succ: Map<string, string[]>, pred: Map<string, string[]>): Map<string, string> {
  const recurrence = new Map<string, string>();
  for (const [w, node] of graph.nodes) {
    const [ins, outs] = [pred.get(w)!, succ.get(w)!];
    if (ins.length !== 1 || outs.length !== 1 || ins[0] !== outs[0] || ins[0] === w) continue;
    const target = ins[0];
    if (node.type !== "Linear" && node.type !== "Affine")
      throw new NirError(`node "${w}" (${node.type}) closes a cycle on "${target}" (${target} → ${w} → ${target}); snnc's recurrence goes through a Linear or Affine node`);
    const weight = node.params.weight;
    const shape = isArray(weight) ? weight.shape : [];
    if (shape.length !== 2 || shape[0] !== shape[1])
      throw new NirError(`node "${w}" (${node.type}) closes a cycle on "${target}" but its weight has shape ${formatShape(shape)}; a recurrent weight is square`);
    if (recurrence.has(target))
      throw new NirError(`node "${target}" is recurrent through both "${recurrence.get(target)}" and "${w}"; snnc's layers have one recurrent weight`);
    recurrence.set(target, w);
  }
  return recurrence;
}

/** The node names from Input to Output, the recurrent weight nodes left out. */
export function chainOrder(graph: NirGraph): string[] {
  return nirChain(graph).order;
}

function single(graph: NirGraph, type: string): string {
  const found = [...graph.nodes].filter(([, n]) => n.type === type).map(([k]) => k);
  if (found.length !== 1)
    throw new NirError(
      found.length === 0 ? `the graph has no ${type} node` : `the graph has ${found.length} ${type} nodes (${found.join(", ")}); snnc networks have one ${type.toLowerCase()}`,
    );
  return found[0];
}

/** The node names from Input to Output and the recurrence taken out of the walk. */
export function nirChain(graph: NirGraph): NirChain {
  checkEdges(graph);
  const start = single(graph, "Input");
  const end = single(graph, "Output");
  const { succ, pred } = neighbours(graph);
  const recurrence = recurrentWeights(graph, succ, pred);
  const cycleNodes = new Set(recurrence.values());
  for (const [target, w] of recurrence) {
    succ.set(target, succ.get(target)!.filter((n) => n !== w));
    pred.set(target, pred.get(target)!.filter((n) => n !== w));
  }
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
  const off = [...graph.nodes.keys()].filter((n) => !seen.has(n) && !(cycleNodes.has(n) && seen.has(pred.get(n)![0])));
  if (off.length > 0) throw new NirError(`node "${off[0]}" is not on the path from "${start}" to "${end}"; snnc networks are chains`);
  return { order, recurrence };
}
