// The roofline's traffic model on models/tiny.json (12 → 8 → 6 → 3, T = 16) at batch 2 and made-up
// counts, each byte and flop worked out by hand from the formulas in runtime/bench/roofline.ts.
// No timing is measured or asserted.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadNetwork } from "../../compiler/pipeline.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { planOptionsFor } from "../../compiler/backends/plan-options.ts";
import { rooflineRows, stepTraffic, type StepActivity } from "../../runtime/bench/roofline.ts";

const plan = buildPlan(loadNetwork(join(import.meta.dirname, "..", "..", "models", "tiny.json")), 2, planOptionsFor("cpu", {}));
// B = 2, T = 16; 20 input events; l1 (N = 8) 10 spikes, 30 active; l2 (N = 6) 5 spikes, 12 active; 2 threads.
const activity: StepActivity = {
  batch: 2,
  steps: 16,
  inputEvents: 20,
  layers: new Map([
    ["l1", { spikes: 10, active: 30 }],
    ["l2", { spikes: 5, active: 12 }],
  ]),
  threads: 2,
};
const names = [...plan.steps.sparse, "zero_gradients"];
const sparse = stepTraffic(plan, names, "sparse", activity);

describe("roofline traffic model (tiny plan, by hand)", () => {
  it("dense forward: W rows per event (once in the floor), events, bitmask, counts, active set", () => {
    const t = sparse.get("forward_lif_l1")!;
    // W: min(20 events, 12 rows)·8·4 = 384 (streamed 20·8·4 = 640); input: offsets 4·2·17 = 136 + events 4·20 = 80;
    // out: bitmask 4·2·16·1 = 128, counts 4·2·8 = 64, active set 4·(2·30 + 2·17) = 376.
    expect(t.bytes).toBe(384 + 136 + 80 + 128 + 64 + 376);
    expect(t.streamedBytes).toBe(640 + 136 + 80 + 128 + 64 + 376);
    // 20 events × 8 adds + 4 flops × B·T·N = 2·16·8.
    expect(t.flops).toBe(160 + 1024);
  });

  it("sparse backward: ∇W rows per input spike, W rows per active entry below, own active set, gradient copies", () => {
    const t = sparse.get("backward_sparse_l2")!;
    // ∇W: 2·min(10, 8)·6·4 = 384 (streamed 2·10·6·4 = 480); W rows: min(30, 8)·6·4 = 192 (streamed 30·6·4 = 720);
    // l1's spike bitmask 4·2·16 = 128; ∂L/∂S below 4·30 = 120; own active set 4·(3·12 + 2·17) = 280;
    // one extra thread's copy of W2 (48) zeroed, read and added: 4·4·48 = 768.
    expect(t.bytes).toBe(384 + 192 + 128 + 120 + 280 + 768);
    expect(t.streamedBytes).toBe(480 + 720 + 128 + 120 + 280 + 768);
    expect(t.flops).toBe(10 * 6 + 2 * 30 * 6 + 10 * 12 + 48);
    // The first layer's input is the data: no ∂L/∂S below.
    const l1 = sparse.get("backward_sparse_l1")!;
    expect(l1.bytes).toBe(2 * 12 * 8 * 4 + 136 + 80 + 4 * (3 * 30 + 2 * 17) + 4 * 4 * 96);
  });

  it("Adam, loss and zeroing", () => {
    expect(sparse.get("adam_w1")).toMatchObject({ bytes: 28 * 96, streamedBytes: 28 * 96, flops: 12 * 96 });
    // logits, their times and ∂L/∂logits (3·3), per hidden neuron count and penalty gradient (2·14), labels.
    expect(sparse.get("loss")!.bytes).toBe(4 * 2 * (9 + 28) + 4 * 2);
    expect(sparse.get("zero_gradients")!.bytes).toBe(4 * (96 + 48 + 18));
    const dense = stepTraffic(plan, ["zero_gradients"], "dense", activity);
    expect(dense.get("zero_gradients")!.bytes).toBe(4 * (96 + 48 + 18) + 4 * 2 * 16 * (8 + 6));
  });

  it("dense backward streams W once per (b, t) and is counted once in the floor", () => {
    const t = stepTraffic(plan, ["backward_dense_l2"], "dense", activity).get("backward_dense_l2")!;
    // ∇W 384 / 480 as above; W 48·4 = 192 (streamed 2·16·192 = 6144); bitmask 128; V and ∂L/∂S 2·4·2·16·6 = 1536;
    // ∂L/∂S below 2·4·2·16·8 = 2048; copies 768.
    expect(t.bytes).toBe(384 + 192 + 128 + 1536 + 2048 + 768);
    expect(t.streamedBytes).toBe(480 + 6144 + 128 + 1536 + 2048 + 768);
    expect(t.flops).toBe(10 * 6 + 2 * 2 * 16 * 48 + 10 * 2 * 16 * 6 + 48);
  });

  it("rows: GB/s = MB/ms, % of the measured bandwidth, the predicted bound", () => {
    const traffic = new Map([
      ["a", { kernel: "a", bytes: 2e6, streamedBytes: 4e6, flops: 1e6, model: "" }],
      ["b", { kernel: "b", bytes: 1e3, streamedBytes: 1e3, flops: 1e9, model: "" }],
    ]);
    const rows = rooflineRows([["a", 0.5], ["b", 1], ["unknown", 1]], traffic, { gbPerS: 10, how: "test" }, 100);
    expect(rows.map((r) => r.kernel)).toEqual(["a", "b"]);
    expect(rows[0]).toMatchObject({ mb: 2, streamedMb: 4, gflop: 0.001, gbPerS: 4, pctOfBandwidth: 40, bound: "memory" });
    expect(rows[1].bound).toBe("compute");
    expect(rooflineRows([["a", 1]], traffic, null, null)[0]).toMatchObject({ pctOfBandwidth: null, pctOfCache: null, bound: null });
  });

  it("with a cache roof: streamed GB/s, % of it, and a kernel whose streamed bytes take longest is cache-bound", () => {
    const traffic = new Map([
      // 2 MB floor at 10 GB/s = 0.2 ms, 60 MB streamed at 100 GB/s = 0.6 ms, 1 MFLOP at 100 GFLOP/s = 0.01 ms: cache.
      ["rows", { kernel: "rows", bytes: 2e6, streamedBytes: 60e6, flops: 1e6, model: "" }],
      // 2 MB floor = 0.2 ms against 4 MB streamed = 0.04 ms: memory, as without the cache roof.
      ["once", { kernel: "once", bytes: 2e6, streamedBytes: 4e6, flops: 1e6, model: "" }],
      // 1 GFLOP = 10 ms: compute.
      ["math", { kernel: "math", bytes: 1e3, streamedBytes: 1e3, flops: 1e9, model: "" }],
    ]);
    const cache = { gbPerS: 100, how: "test" };
    const rows = rooflineRows([["rows", 1.2], ["once", 0.5], ["math", 1]], traffic, { gbPerS: 10, how: "test" }, 100, cache);
    expect(rows[0]).toMatchObject({ streamedGbPerS: 50, pctOfCache: 50, bound: "cache" });
    expect(rows[1]).toMatchObject({ streamedGbPerS: 8, pctOfCache: 8, bound: "memory" });
    expect(rows[2].bound).toBe("compute");
    // Without the cache roof the same kernel is called memory-bound, as before it existed.
    expect(rooflineRows([["rows", 1.2]], traffic, { gbPerS: 10, how: "test" }, 100)[0]).toMatchObject({ pctOfCache: null, bound: "memory" });
  });
});
