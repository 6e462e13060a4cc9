// What a layer kind provides to each compiler stage. One module per kind (dense.ts, conv.ts, …)
// holds its lowering, its IR invariants and its part of the kernel plan; its kernels' templates
// are templates/<backend>/kernels/<kernel kind>.hbs.

import type { PlanOptions } from "../plan/plan-options.ts";
import type { ResolvedLayerSpec } from "../spec/types.ts";
import type { Layer, Network } from "../ir/types.ts";
import type { BufferPath, BufferRole, BufferScale, ElemType, KernelPlan, SpikeInput, Stage } from "../plan/types.ts";

/** Fields every IR layer has, worked out before the kind's own lowering. */
export interface LayerBase {
  id: string;
  index: number;
  inShape: number[];
  outShape: number[];
  nIn: number;
  nOut: number;
}

/** A buffer as a layer kind declares it; the plan sizes it at the batch. */
export interface BufferDef {
  name: string;
  elem: ElemType;
  scale: BufferScale;
  role: BufferRole;
  path: BufferPath;
  what: string;
}

export interface PlanContext {
  net: Network;
  /** The spikes this layer reads: the input events or the stage below. */
  input: SpikeInput;
  options: PlanOptions;
}

/** A layer's part of the plan: its stage (none for flatten, the identity) and its buffers. */
export interface StagePlan {
  stage: Stage | null;
  buffers: BufferDef[];
  /** A layer without a stage that changes what the next layer reads (sum-pool's window map). */
  input?: SpikeInput;
}

export interface LayerKind<S extends ResolvedLayerSpec, L extends Layer> {
  kind: L["kind"];
  lower(spec: S, base: LayerBase, dtMs: number): L;
  /** IR invariants of this kind; `fail` throws the verifier's error. */
  verify(layer: L, fail: (msg: string) => never): void;
  plan(layer: L, ctx: PlanContext): StagePlan;
}

/** A stage's two backward kernels, sparse and dense (`backward_<mode>[_<infix>]_<id>`), of kernel
 * kind `backward_<mode>_<stage kind>`. */
export function backwardKernels(
  id: string,
  stageKind: "lif" | "readout" | "maxpool",
  what: string,
  work: { sparse: string; dense: string },
  infix = "",
): KernelPlan[] {
  return (["sparse", "dense"] as const).map((mode) => ({
    name: `backward_${mode}_${infix ? `${infix}_` : ""}${id}`,
    kind: `backward_${mode}_${stageKind}`,
    phase: `backward_${mode}`,
    stage: id,
    what: `${mode} backward of ${id}: ${what}`,
    grid: "batch",
    work: work[mode],
  }));
}

/** A batch-scaled buffer: count = perSample·B + extra. */
export function perSample(n: number, extra = 0): BufferScale {
  return { kind: "batch", perSample: n, extra };
}

export function fixed(count: number): BufferScale {
  return { kind: "fixed", count };
}
