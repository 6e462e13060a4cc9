// Sum-pool through the compiler: its shape rule (shared with max-pool), its IR layer, and its place
// in the plan: no stage and no buffer, the layer above reading the spikes below through `pools`,
// the backward filling ∂L/∂S of the stage under the pool, and a max-pool after it refused.

import { describe, expect, it } from "vitest";
import { buildContext } from "../../compiler/backends/context/build-context.ts";
import { BACKENDS } from "../../compiler/backends/index.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { resolveSpec } from "../../compiler/spec/defaults.ts";
import { inferShapes } from "../../compiler/spec/shapes.ts";
import type { LayerSpec, NetworkSpec } from "../../compiler/spec/types.ts";
import { networkOf } from "../support/build-model.ts";

function spec(shape: number[], layers: LayerSpec[]): NetworkSpec {
  return {
    name: "pool",
    time: { steps: 5, dt_ms: 1 },
    input: { shape, encoding: { kind: "events", bin_ms: 1 } },
    layers,
    training: { batch: 2, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
  };
}

describe("sum-pool in the compiler", () => {
  it("pools like max-pool: stride = window, no padding, rows and columns no window covers dropped", () => {
    expect(inferShapes([3, 7, 9], [{ kind: "sumpool", size: 2 }])[0].outShape).toEqual([3, 3, 4]);
    expect(inferShapes([3, 7, 9], [{ kind: "maxpool", size: 3 }])[0].outShape).toEqual([3, 2, 3]);
    expect(inferShapes([7, 9], [{ kind: "sumpool", size: 3 }])[0]).toEqual({ inShape: [1, 7, 9], outShape: [1, 2, 3] });
  });

  it("lowers to an IR layer and plans no stage: the next stage reads the spikes below through it", () => {
    const net = lowerSpec(resolveSpec(spec([2, 6, 6], [
      { kind: "conv", filters: 3, kernel: 3, padding: 1 },
      { kind: "sumpool", size: 2 },
      { kind: "sumpool", size: 1 },
      { kind: "conv", filters: 2, kernel: 2 },
      { kind: "flatten" },
      { kind: "readout", size: 2 },
    ])));
    expect(net.layers[1]).toMatchObject({ kind: "sumpool", size: 2, inShape: [3, 6, 6], outShape: [3, 3, 3], nIn: 108, nOut: 27 });
    const plan = buildPlan(net);
    expect(plan.stages.map((s) => s.id)).toEqual(["l1", "l4", "l6"]);
    expect(plan.buffers.filter((b) => /_l[23]$/.test(b.name))).toEqual([]);
    const conv2 = plan.stages[1];
    if (conv2.kind !== "lif" || conv2.input.kind !== "spikes") throw new Error("expected l4 to read spikes");
    expect(conv2.input.from.id).toBe("l1");
    expect(conv2.input.pools?.map((p) => p.id)).toEqual(["l2", "l3"]);
    // The readout reads l4 directly: the pools stay with the stage they feed.
    const readout = plan.stages[2];
    expect(readout.kind === "readout" && readout.input.kind === "spikes" && [readout.input.from.id, readout.input.pools]).toEqual(["l4", undefined]);
    const ctx = buildContext(plan, BACKENDS.cpu);
    const c2 = ctx.stages[1];
    expect(c2.kind === "lif" && [c2.pooled, c2.below, c2.inputName, c2.sumPools.map((p) => [p.id, p.size, p.hOut])]).toEqual([
      true, "l1", "the spikes of l1, sum-pooled by l2 then l3", [["l2", 2, 3], ["l3", 1, 3]],
    ]);
    expect(ctx.sumPools.map((p) => p.id)).toEqual(["l2", "l3"]);
    expect(ctx.stages[2].kind === "readout" && ctx.stages[2].pooled).toBe(false);
  });

  it("pools the input events when it comes first (nothing below to send ∂L/∂S to)", () => {
    const plan = buildPlan(lowerSpec(resolveSpec(spec([2, 4, 4], [{ kind: "sumpool", size: 2 }, { kind: "flatten" }, { kind: "readout", size: 2 }]))));
    const readout = plan.stages[0];
    expect(readout.kind === "readout" && [readout.input.kind, readout.input.pools?.map((p) => p.id)]).toEqual(["events", ["l1"]]);
    const ctx = buildContext(plan, BACKENDS.cpu);
    expect(ctx.readout!.hasBelow).toBe(false);
    expect(ctx.readout!.pooled).toBe(true);
  });

  it("refuses a max-pool on sum-pooled counts", () => {
    const net = lowerSpec(resolveSpec(spec([1, 8, 8], [
      { kind: "conv", filters: 2, kernel: 1 },
      { kind: "sumpool", size: 2 },
      { kind: "maxpool", size: 2 },
      { kind: "flatten" },
      { kind: "readout", size: 2 },
    ])));
    expect(() => buildPlan(net)).toThrow(/^\/layers\/2: a maxpool layer is generated only on the spikes of a conv layer$/);
  });

  it("keeps a max-pool's stage below a sum-pool: the layer above fills the max-pool's routed entries", () => {
    const plan = buildPlan(networkOf(spec([1, 8, 8], [
      { kind: "conv", filters: 2, kernel: 1 },
      { kind: "maxpool", size: 2 },
      { kind: "sumpool", size: 2 },
      { kind: "flatten" },
      { kind: "readout", size: 2 },
    ])));
    const ctx = buildContext(plan, BACKENDS.cpu);
    expect([ctx.readout!.below, ctx.readout!.belowCapacity, ctx.readout!.pooled]).toEqual(["l2", "act_capacity_l1", true]);
  });
});
