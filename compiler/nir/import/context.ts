// What the node importers share while walking the chain from Input to Output: the shape of the
// signal so far, the weight node waiting for its neurons, the layers built, and the helpers that
// read a node's parameters or refuse it with one sentence naming it.

import type { LayerSpec } from "../../spec/types.ts";
import type { Conventions } from "../conventions.ts";
import { formatShape, isArray, NirError, type NirArray, type NirNode } from "../graph.ts";

/** A weight node (Linear, Affine, Conv2d) waiting for the neuron node that follows it. Weights
 *  are in NIR's layout: dense [out, in], conv [F, C, k, k]; `bias` one per output (dense) or per
 *  filter (conv), null when the node has none. */
export type Synapse =
  | { node: string; kind: "dense"; nIn: number; nOut: number; weight: Float64Array; bias: Float64Array | null }
  | {
      node: string;
      kind: "conv";
      filters: number;
      channels: number;
      kernel: number;
      stride: number;
      padding: number;
      outShape: number[];
      weight: Float64Array;
      bias: Float64Array | null;
    };

/** A weighted layer's tensors in the IR's layout. `bias` is kept even when all zero; such a layer
 *  gets no bias in the spec (`zeroBias`) unless the file is snnc's own and that layer had one. */
export interface LayerTensors {
  weight: Float64Array;
  /** A recurrent layer's R [n, n] (R[k][j] at k·n + j, from k to j), else null. */
  recurrent: Float64Array | null;
  bias: Float64Array | null;
  zeroBias: boolean;
  /** Per-neuron decays (a τ or τ_syn array varying over the layer): α and α_syn per neuron. */
  alpha?: Float64Array | null;
  alphaSyn?: Float64Array | null;
}

export class ImportContext {
  /** The shape of the signal after the last node (Input's shape at the start). */
  shape: number[] = [];
  inputShape: number[] | null = null;
  synapse: Synapse | null = null;
  /** A Scale before the next weight node: one factor per input (or one for all). */
  scaleBefore: { node: string; scale: Float64Array } | null = null;
  readonly layers: LayerSpec[] = [];
  /** Per layer (by index; weightless layers have none): its tensors in the IR's layout (dense
   *  [nIn, nOut], conv [F, C, k, k]). */
  readonly tensors: (LayerTensors | null)[] = [];
  /** Set by the readout (LI): only Output may follow. */
  readoutNode: string | null = null;
  /** The neuron node that made each layer (for messages). */
  readonly layerNodes: string[] = [];
  /** Neuron node → its recurrent weight node (chain.ts); a layer takes its own with `takeRecurrence`. */
  recurrence = new Map<string, { node: string; weight: NirNode }>();
  /** The node being imported is the last before Output (a spiking one there is the readout). */
  beforeOutput = false;

  /** Per-neuron τ read from a node becomes trainable (`--learn-tau`); by default it stays fixed. */
  learnTau = false;

  constructor(readonly conventions: Conventions) {}

  /** Refuses the node: `node "lif1" (LIF): <why>`. */
  fail(name: string, node: NirNode, why: string): never {
    throw new NirError(`node "${name}" (${node.type}): ${why}`);
  }

  /** A numeric parameter; missing or a string: refused. */
  array(name: string, node: NirNode, key: string): NirArray {
    const v = node.params[key];
    if (v === undefined) this.fail(name, node, `has no "${key}" parameter`);
    if (!isArray(v)) this.fail(name, node, `"${key}" is a string, expected numbers`);
    for (const x of v.data) if (!Number.isFinite(x)) this.fail(name, node, `"${key}" holds ${x}; it must be finite`);
    return v;
  }

  optionalArray(name: string, node: NirNode, key: string): NirArray | null {
    return node.params[key] === undefined ? null : this.array(name, node, key);
  }

  /** One number per neuron (n of them); a scalar or size-1 array broadcasts. */
  perNeuron(name: string, node: NirNode, key: string, n: number, fallback?: number): Float64Array {
    const v = fallback !== undefined && node.params[key] === undefined ? null : this.array(name, node, key);
    if (v === null) return new Float64Array(n).fill(fallback!);
    const data = v.dtype === "f32" ? v.data.map(shortestFloat32) : v.data;
    if (data.length === 1) return new Float64Array(n).fill(data[0]);
    if (data.length !== n) this.fail(name, node, `"${key}" has ${data.length} values ${formatShape(v.shape)} but the layer has ${n} neurons`);
    return data;
  }

  /** A per-neuron parameter snnc holds once per layer: all values must be equal. */
  uniform(name: string, node: NirNode, key: string, n: number, fallback?: number): number {
    const v = this.perNeuron(name, node, key, n, fallback);
    let lo = v[0];
    let hi = v[0];
    for (const x of v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    if (lo !== hi) this.fail(name, node, `"${key}" differs between neurons (${lo} … ${hi}); snnc needs one value per layer`);
    return v[0];
  }

  /** An integer parameter of `len` entries (a scalar broadcasts), e.g. stride [2, 2]. */
  ints(name: string, node: NirNode, key: string, len: number, fallback?: number): number[] {
    const v = fallback !== undefined && node.params[key] === undefined ? null : this.array(name, node, key);
    const data = v === null ? [fallback!] : [...v.data];
    const out = data.length === 1 ? new Array<number>(len).fill(data[0]) : data;
    if (out.length !== len || out.some((x) => !Number.isInteger(x)))
      this.fail(name, node, `"${key}" is ${formatShape(data)}; expected ${len} integer${len === 1 ? "" : "s"}`);
    return out;
  }

  /** The synapse a neuron node needs before it; refused when there is none. */
  takeSynapse(name: string, node: NirNode, previous: string): Synapse {
    if (this.scaleBefore) this.fail(this.scaleBefore.node, { type: "Scale", params: {} }, "must sit next to a Linear, Affine or Conv2d node");
    const s = this.synapse;
    if (!s) this.fail(name, node, `follows "${previous}" directly; snnc needs a Linear, Affine or Conv2d node before each neuron layer`);
    this.synapse = null;
    return s;
  }

  /** The recurrent weight node of neuron node `name` in NIR's layout (R_nir[j][k] at j·n + k,
   *  from k to j) and its bias, or null; checked against the layer's n neurons. */
  takeRecurrence(name: string, n: number): { node: string; weight: Float64Array; bias: Float64Array | null } | null {
    const rec = this.recurrence.get(name);
    if (!rec) return null;
    this.recurrence.delete(name);
    const w = this.array(rec.node, rec.weight, "weight");
    if (w.shape[0] !== n) this.fail(rec.node, rec.weight, `weight has shape ${formatShape(w.shape)} but its layer "${name}" has ${n} neurons`);
    const b = rec.weight.type === "Affine" ? this.optionalArray(rec.node, rec.weight, "bias") : null;
    if (b && b.data.length !== 1 && b.data.length !== n) this.fail(rec.node, rec.weight, `bias has ${b.data.length} values but the weight has ${n} outputs`);
    const bias = b ? (b.data.length === 1 ? new Float64Array(n).fill(b.data[0]) : Float64Array.from(b.data)) : null;
    return { node: rec.node, weight: Float64Array.from(w.data), bias };
  }

  /** No node may come between a readout and Output, or between a weight node and its neurons. */
  expectNoPending(name: string, node: NirNode): void {
    if (this.readoutNode) this.fail(name, node, `follows the readout "${this.readoutNode}"; the LI readout must be the last node before Output`);
    if (this.synapse) this.fail(name, node, `follows the weight node "${this.synapse.node}"; snnc needs a LIF or LI node after each weight node`);
    if (this.scaleBefore && node.type !== "Linear" && node.type !== "Affine" && node.type !== "Conv2d")
      this.fail(this.scaleBefore.node, { type: "Scale", params: {} }, "must sit next to a Linear, Affine or Conv2d node");
  }

  /** A non-zero `bias` turns on the layer's `bias` field; an all-zero one is kept aside. */
  addLayer(
    neuronNode: string,
    layer: LayerSpec,
    weights?: Float64Array,
    bias: Float64Array | null = null,
    recurrent: Float64Array | null = null,
    decays: { alpha: Float64Array | null; alphaSyn: Float64Array | null } = { alpha: null, alphaSyn: null },
  ): void {
    const zeroBias = bias !== null && bias.every((b) => b === 0);
    if (bias && !zeroBias && (layer.kind === "dense" || layer.kind === "conv" || layer.kind === "readout")) layer.bias = true;
    this.layers.push(layer);
    this.layerNodes.push(neuronNode);
    this.tensors.push(weights ? { weight: weights, recurrent, bias, zeroBias, ...decays } : null);
  }
}

export { size } from "../graph.ts";

/** The shortest decimal that is the same float32 (0.004999999888241291 → 0.005): what the exporter
 *  wrote before numpy stored it as float32, so a spec reads τ = 5 ms rather than 4.99999988824. */
export function shortestFloat32(x: number): number {
  for (let p = 1; p <= 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) return d;
  }
  return x;
}
