// The kernel plan: stages, kernel names and launch order, buffer sizes hand-computed for tiny.json,
// the stats layout, the sparse path's memory saving on fmnist, and the limits each backend states.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { assertBackendSupports } from "../../compiler/backends/emit.ts";
import { MAX_LAYER_SIZE } from "../../compiler/backends/cuda/launch.ts";
import { buildPlan, lifStages, PlanError } from "../../compiler/plan/build-plan.ts";
import { STAT, statsLayout } from "../../compiler/plan/stats-layout.ts";
import type { BufferPlan, Plan } from "../../compiler/plan/types.ts";
import { loadSpecOrThrow, resolveSpec } from "../../compiler/spec/index.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";

const MODELS = join(import.meta.dirname, "..", "..", "models");
const raw = (file: string) => loadSpecOrThrow(join(MODELS, file)).raw as NetworkSpec;
const lower = (file: string): Network => lowerSpec(loadSpecOrThrow(join(MODELS, file)).spec);

/** Bytes a training step allocates on one backward path, and those only that backward needs. */
function pathBytes(plan: Plan, path: "sparse" | "dense"): { total: number; backwardOnly: number } {
  const own: BufferPlan["path"][] = path === "sparse" ? ["sparse"] : ["dense", "trace"];
  const sum = (bs: BufferPlan[]) => bs.reduce((a, b) => a + b.bytes, 0);
  return {
    total: sum(plan.buffers.filter((b) => b.path === "both" || own.includes(b.path))),
    backwardOnly: sum(plan.buffers.filter((b) => own.includes(b.path))),
  };
}

describe("kernels and launch order", () => {
  const plan = buildPlan(lower("fmnist.json"));

  it("names every kernel after what it does and the layer or weight it serves", () => {
    expect(plan.kernels.map((k) => k.name)).toEqual([
      "forward_lif_l1",
      "forward_lif_l2",
      "forward_readout_l3",
      "loss",
      "backward_sparse_l3",
      "backward_sparse_l2",
      "backward_sparse_l1",
      "backward_dense_l3",
      "backward_dense_l2",
      "backward_dense_l1",
      "adam_w1",
      "adam_w2",
      "adam_w3",
    ]);
  });

  it("launches forward, loss, the backward from the readout down, then Adam", () => {
    expect(plan.steps.sparse).toEqual([
      "forward_lif_l1",
      "forward_lif_l2",
      "forward_readout_l3",
      "loss",
      "backward_sparse_l3",
      "backward_sparse_l2",
      "backward_sparse_l1",
      "adam_w1",
      "adam_w2",
      "adam_w3",
    ]);
    expect(plan.steps.dense).toEqual([
      "forward_lif_l1",
      "forward_lif_l2",
      "forward_readout_l3",
      "loss",
      "backward_dense_l3",
      "backward_dense_l2",
      "backward_dense_l1",
      "adam_w1",
      "adam_w2",
      "adam_w3",
    ]);
  });

  it("gives every kernel a kind, a phase, a stage or weight (except the loss) and a description", () => {
    for (const k of plan.kernels) {
      expect(k.name.startsWith(k.kind.replace(/_(lif|readout|maxpool)$/, ""))).toBe(true);
      if (k.kind === "adam") expect(k.weight).toMatch(/^w\d$/);
      else if (k.kind !== "loss") expect(k.stage).toMatch(/^l\d$/);
      expect(k.what.length).toBeGreaterThan(10);
    }
    expect(plan.kernels.filter((k) => k.kind === "adam").every((k) => k.grid === "elements" && k.phase === "adam")).toBe(true);
  });

  it("lists the stages in layer order, each with its own kernels, and the launches by phase", () => {
    expect(plan.stages.map((s) => [s.kind, s.id, s.kernels.map((k) => k.name)])).toEqual([
      ["lif", "l1", ["forward_lif_l1", "backward_sparse_l1", "backward_dense_l1"]],
      ["lif", "l2", ["forward_lif_l2", "backward_sparse_l2", "backward_dense_l2"]],
      ["readout", "l3", ["forward_readout_l3", "backward_sparse_l3", "backward_dense_l3"]],
    ]);
    expect(plan.launches.forward).toEqual(["forward_lif_l1", "forward_lif_l2", "forward_readout_l3", "loss"]);
    expect(plan.launches.backward_sparse).toEqual(["backward_sparse_l3", "backward_sparse_l2", "backward_sparse_l1"]);
    expect(plan.launches.adam).toEqual(["adam_w1", "adam_w2", "adam_w3"]);
    expect(plan.weights.map((w) => [w.name, w.role])).toEqual([["w1", "feedforward"], ["w2", "feedforward"], ["w3", "feedforward"]]);
  });

  it("walks fmnist-deep's six weighted layers in order", () => {
    const deep = buildPlan(lower("fmnist-deep.json"));
    expect(deep.steps.sparse).toEqual([
      ...[1, 2, 3, 4, 5].map((k) => `forward_lif_l${k}`),
      "forward_readout_l6",
      "loss",
      ...[6, 5, 4, 3, 2, 1].map((k) => `backward_sparse_l${k}`),
      ...[1, 2, 3, 4, 5, 6].map((k) => `adam_w${k}`),
    ]);
    expect(lifStages(deep).map((h) => (h.input.kind === "spikes" ? h.input.from.id : "events"))).toEqual(["events", "l1", "l2", "l3", "l4"]);
  });

  it("sizes each LIF stage's bitmask words and initial active-set entries", () => {
    // 200 neurons → 7 words; ⌈0.05·100·200⌉ = 1000 entries at the default 5% room.
    expect(lifStages(plan).map((h) => [h.words, h.activeEntries])).toEqual([
      [7, 1000],
      [7, 1000],
    ]);
  });
});

describe("the memory plan", () => {
  // tiny.json: T = 16, 12 event inputs, 8 → 6 → 3, batch 4, active capacity 5% of T·N.
  //   l1 active room ⌈0.05·16·8⌉ = 7 per sample, l2 ⌈0.05·16·6⌉ = 5; input events max(12, ⌈0.05·16·12⌉) = 12 per sample.
  const B = 4;
  const T = 16;
  const expected: [string, string, number][] = [
    ["w1", "f32", 12 * 8],
    ["grad_w1", "f32", 12 * 8],
    ["adam_m_w1", "f32", 12 * 8],
    ["adam_v_w1", "f32", 12 * 8],
    ["w2", "f32", 8 * 6],
    ["grad_w2", "f32", 8 * 6],
    ["adam_m_w2", "f32", 8 * 6],
    ["adam_v_w2", "f32", 8 * 6],
    ["w3", "f32", 6 * 3],
    ["grad_w3", "f32", 6 * 3],
    ["adam_m_w3", "f32", 6 * 3],
    ["adam_v_w3", "f32", 6 * 3],
    ["in_offsets", "u32", B * T + 1],
    ["in_indices", "u32", B * 12],
    ["labels", "i32", B],
    ["spikes_l1", "u32", B * T * 1],
    ["counts_l1", "i32", B * 8],
    ["reg_grad_l1", "f32", B * 8],
    ["act_offsets_l1", "u32", B * (T + 1)],
    ["act_index_l1", "u32", B * 7],
    ["act_surr_l1", "f32", B * 7],
    ["act_grad_l1", "f32", B * 7],
    ["vtrace_l1", "f32", B * T * 8],
    ["grad_spikes_l1", "f32", B * T * 8],
    ["spikes_l2", "u32", B * T * 1],
    ["counts_l2", "i32", B * 6],
    ["reg_grad_l2", "f32", B * 6],
    ["act_offsets_l2", "u32", B * (T + 1)],
    ["act_index_l2", "u32", B * 5],
    ["act_surr_l2", "f32", B * 5],
    ["act_grad_l2", "f32", B * 5],
    ["vtrace_l2", "f32", B * T * 6],
    ["grad_spikes_l2", "f32", B * T * 6],
    ["logits", "f32", B * 3],
    ["logit_time", "i32", B * 3],
    ["grad_logits", "f32", B * 3],
    ["stats", "f64", 11],
  ];
  const plan = buildPlan(lower("tiny.json"));

  it("plans at the spec's batch by default", () => {
    expect(plan.batch).toBe(4);
  });

  it("has every buffer of tiny with its hand-computed element count and bytes", () => {
    expect(plan.buffers.map((b) => [b.name, b.elem, b.count])).toEqual(expected);
    const width = { f32: 4, u32: 4, i32: 4, f64: 8 } as const;
    for (const b of plan.buffers) expect(b.bytes).toBe(b.count * width[b.elem]);
    // Spot checks written out in bytes.
    const bytes = Object.fromEntries(plan.buffers.map((b) => [b.name, b.bytes]));
    expect(bytes.w1).toBe(384);
    expect(bytes.in_offsets).toBe(260);
    expect(bytes.act_index_l1).toBe(112);
    expect(bytes.vtrace_l2).toBe(1536);
    expect(bytes.stats).toBe(88);
  });

  it("totals tiny's paths by hand", () => {
    // shared: weights 4·(384 + 192 + 72) = 2592; input 260 + 192 + 16 = 468;
    // forward + loss: 256 + 128 + 128 + 256 + 96 + 96 + 3·48 + 88 = 1192.
    const shared = 2592 + 468 + 1192;
    const sparseOnly = 272 + 3 * 112 + 272 + 3 * 80; // 1120
    const denseOnly = 2 * 2048 + 2 * 1536; // 7168
    expect(pathBytes(plan, "sparse")).toEqual({ total: shared + sparseOnly, backwardOnly: sparseOnly });
    expect(pathBytes(plan, "dense")).toEqual({ total: shared + denseOnly, backwardOnly: denseOnly });
  });

  it("scales per-sample buffers with the batch and keeps fixed ones", () => {
    const big = buildPlan(lower("tiny.json"), 10);
    const count = (p: Plan, name: string) => p.buffers.find((b) => b.name === name)!.count;
    expect(count(big, "vtrace_l1")).toBe(10 * T * 8);
    expect(count(big, "in_offsets")).toBe(10 * T + 1);
    expect(count(big, "act_index_l2")).toBe(10 * 5);
    expect(count(big, "w1")).toBe(96);
    expect(count(big, "stats")).toBe(11);
  });

  it("marks the active set and the input events as growable, nothing else", () => {
    expect(plan.buffers.filter((b) => b.growable).map((b) => b.name)).toEqual([
      "in_indices",
      "act_index_l1",
      "act_surr_l1",
      "act_grad_l1",
      "act_index_l2",
      "act_surr_l2",
      "act_grad_l2",
    ]);
  });

  it("needs ≥ 85% fewer backward-only bytes on the sparse path for fmnist at batch 256", () => {
    const fm = buildPlan(lower("fmnist.json"), 256);
    const sparse = pathBytes(fm, "sparse").backwardOnly;
    const dense = pathBytes(fm, "dense").backwardOnly;
    // dense: V trace and ∂L/∂S, 2 · 256·100·200·4 bytes per hidden layer
    expect(dense).toBe(2 * 2 * 256 * 100 * 200 * 4);
    expect(1 - sparse / dense).toBeGreaterThanOrEqual(0.85);
    // No dense B×T×N buffer on the sparse path at all.
    for (const b of fm.buffers.filter((x) => x.path === "both" || x.path === "sparse"))
      expect(b.count).toBeLessThan(256 * 100 * 200);
  });
});

describe("conv networks", () => {
  it("plans fmnist-conv: conv stage, an explicit pool stage, the readout reading the pooled spikes", () => {
    const plan = buildPlan(lower("fmnist-conv.json"), 8);
    expect(lifStages(plan).map((h) => [h.layer.id, h.connectivity, h.input.kind, h.words])).toEqual([["l1", "conv", "events", 1568]]);
    const pools = plan.stages.filter((s) => s.kind === "maxpool");
    expect(pools.map((p) => [p.layer.id, p.from.id, p.words])).toEqual([["l2", "l1", 392]]);
    const readout = plan.stages.at(-1)!;
    expect(readout.kind === "readout" && readout.input.kind === "spikes" && readout.input.from.id).toBe("l2");
    // flatten (l3) is the identity: no stage.
    expect(plan.stages.map((s) => s.id)).toEqual(["l1", "l2", "l4"]);
    expect(plan.steps.sparse).toEqual([
      "forward_lif_l1", "forward_maxpool_l2", "forward_readout_l4", "loss",
      "backward_sparse_l4", "backward_sparse_maxpool_l2", "backward_sparse_l1", "adam_w1", "adam_w4",
    ]);
    expect(plan.steps.dense.slice(4, 7)).toEqual(["backward_dense_l4", "backward_dense_maxpool_l2", "backward_dense_l1"]);
    const buf = (name: string) => plan.buffers.find((b) => b.name === name)!;
    expect(buf("w1").count).toBe(576);
    expect(buf("spikes_l2").count).toBe(8 * 100 * 392);
    // The pool's routed entries share the conv layer's active capacity (one per active entry at most).
    expect(buf("act_src_l2").scale).toEqual({ kind: "active", stage: "l1" });
    expect(buf("act_src_l2").count).toBe(buf("act_index_l1").count);
    expect(buf("grad_spikes_l2")).toMatchObject({ count: 8 * 100 * 12544, path: "dense" });
    expect(plan.stats.length).toBe(9);
  });

  it("both backends take conv and max-pool layers, the CUDA backend above its dense-layer limit too", () => {
    const plan = buildPlan(lower("fmnist-conv.json"));
    expect(plan.stages.map((s) => s.layer.nOut)).toEqual([50176, 12544, 10]);
    expect(() => assertBackendSupports(plan, "cuda")).not.toThrow();
    expect(() => assertBackendSupports(plan, "cpu")).not.toThrow();
    expect(() => assertBackendSupports(buildPlan(lower("fmnist.json")), "cuda")).not.toThrow();
  });

  it("refuses a max-pool that does not read a conv layer's spikes", () => {
    const spec = raw("fmnist-conv.json");
    spec.layers = [{ kind: "maxpool", size: 2 }, { kind: "flatten" }, { kind: "readout", size: 10 }];
    expect(() => buildPlan(lowerSpec(resolveSpec(spec)))).toThrow(/^\/layers\/0: a maxpool layer is generated only on the spikes of a conv layer$/);
  });
});

describe("the stats layout", () => {
  it("puts the fixed slots first, then (spikes, active) per LIF stage, each slot named once", () => {
    const layout = statsLayout(["l1", "l2"]);
    expect(layout.global.map((g) => [g.constant, g.index])).toEqual([
      ["STAT_CROSS_ENTROPY", STAT.crossEntropy],
      ["STAT_ACTIVITY_LOW", STAT.activityLow],
      ["STAT_ACTIVITY_UP", STAT.activityUp],
      ["STAT_CORRECT", STAT.correct],
      ["STAT_OVERFLOWED", STAT.overflowed],
      ["STAT_REGROWS", STAT.regrows],
      ["STAT_GRAD_SQ", STAT.gradSq],
    ]);
    expect(layout.layers.map((l) => [l.stage, l.spikes.index, l.active.index])).toEqual([["l1", 7, 8], ["l2", 9, 10]]);
    expect(layout.length).toBe(11);
    // Overflow (set by the kernels) and regrows (set by the host) are separate slots.
    expect(STAT.overflowed).not.toBe(STAT.regrows);
  });
});

describe("backend limits are the backend's, stated only when it is asked for", () => {
  const withLayer = (k: number, layer: NetworkSpec["layers"][number]) => {
    const spec = raw("tiny.json");
    spec.layers[k] = layer;
    return buildPlan(lowerSpec(resolveSpec(spec)));
  };

  it(`plans a dense layer above ${MAX_LAYER_SIZE} neurons, which the CPU backend generates`, () => {
    const plan = withLayer(1, { kind: "dense", size: MAX_LAYER_SIZE + 1 });
    expect(() => assertBackendSupports(plan, "cpu")).not.toThrow();
  });

  it(`the CUDA backend refuses it, naming itself and the layer`, () => {
    const plan = withLayer(1, { kind: "dense", size: MAX_LAYER_SIZE + 1 });
    expect(() => assertBackendSupports(plan, "cuda")).toThrow(PlanError);
    expect(() => assertBackendSupports(plan, "cuda")).toThrow(
      `/layers/1: ${MAX_LAYER_SIZE + 1} neurons exceed the CUDA backend's limit of ${MAX_LAYER_SIZE} per layer (a layer's state lives in registers); use --backend cpu`,
    );
  });

  it("accepts a layer at exactly the limit on CUDA", () => {
    expect(() => assertBackendSupports(withLayer(0, { kind: "dense", size: MAX_LAYER_SIZE }), "cuda")).not.toThrow();
  });

  it("refuses a readout above the limit on CUDA only", () => {
    const plan = withLayer(2, { kind: "readout", size: MAX_LAYER_SIZE + 1 });
    expect(() => assertBackendSupports(plan, "cuda")).toThrow(/^\/layers\/2: 4097 neurons exceed the CUDA backend's limit/);
    expect(() => assertBackendSupports(plan, "cpu")).not.toThrow();
  });
});
