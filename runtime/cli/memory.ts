// The memory plan summarised: bytes by role, and totals for a training step on the sparse and on
// the dense backward path, with the bytes only the backward needs. Read straight off plan.buffers.

import type { BufferPath, BufferPlan, BufferRole, Plan } from "../../compiler/plan/types.ts";

export const ROLE_ORDER: BufferRole[] = ["parameters", "gradients", "optimizer", "input", "forward", "loss", "backward"];

/** Which buffer paths a training step allocates on each backward path. */
export const PATHS_OF: Record<"sparse" | "dense", BufferPath[]> = {
  sparse: ["both", "sparse"],
  dense: ["both", "dense", "trace"],
};

export interface PathTotals {
  /** Every buffer a training step on this path allocates. */
  total: number;
  /** The buffers only this backward needs (the rest is shared with the forward and the optimiser). */
  backwardOnly: number;
}

export interface MemorySummary {
  batch: number;
  /** Bytes per role over all buffers of the plan (both paths together). */
  byRole: Record<BufferRole, number>;
  sparse: PathTotals;
  dense: PathTotals;
  /** 1 − sparse/dense for the backward-only bytes, and for the totals. */
  backwardSaving: number;
  totalSaving: number;
  /** Some counts are initial capacities that grow at run time (active set, input events). */
  growable: string[];
}

export function summariseMemory(plan: Plan): MemorySummary {
  const byRole = Object.fromEntries(ROLE_ORDER.map((r) => [r, 0])) as Record<BufferRole, number>;
  for (const b of plan.buffers) byRole[b.role] += b.bytes;
  const totals = (path: "sparse" | "dense"): PathTotals => {
    const on = plan.buffers.filter((b) => PATHS_OF[path].includes(b.path));
    return { total: sum(on), backwardOnly: sum(on.filter((b) => b.path !== "both")) };
  };
  const sparse = totals("sparse");
  const dense = totals("dense");
  return {
    batch: plan.batch,
    byRole,
    sparse,
    dense,
    backwardSaving: dense.backwardOnly > 0 ? 1 - sparse.backwardOnly / dense.backwardOnly : 0,
    totalSaving: dense.total > 0 ? 1 - sparse.total / dense.total : 0,
    growable: plan.buffers.filter((b) => b.growable).map((b) => b.name),
  };
}

function sum(buffers: BufferPlan[]): number {
  return buffers.reduce((a, b) => a + b.bytes, 0);
}
