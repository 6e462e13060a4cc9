// The forward schedule of each LIF stage (compiler/plan/forward-schedule.ts): step by step in every
// default plan; with time-parallel currents asked for (CUDA's `--time-parallel`), every dense,
// non-recurrent LIF stage within the backend's size limit, and only then its currents kernel and
// buffer; the refusals in words; which backend generates what; the build folder of the variant.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BACKENDS } from "../../compiler/backends/index.ts";
import { CUDA_MAX_CURRENTS_BYTES } from "../../compiler/backends/cuda/backend.ts";
import { assertBackendSupports } from "../../compiler/backends/emit.ts";
import type { SpikingLayer } from "../../compiler/ir/types.ts";
import { buildPlan, lifStages, PlanError } from "../../compiler/plan/build-plan.ts";
import { chooseForward, TIME_PARALLEL_MAX_BYTES } from "../../compiler/plan/forward-schedule.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { resolveSpec } from "../../compiler/spec/defaults.ts";
import { randomSpec } from "../support/random-spec.ts";
import { GENERATED_ROOT, generatedDir, loadNetwork, planOptionsFor } from "../../compiler/pipeline.ts";

const MODELS = join(import.meta.dirname, "..", "..", "models");
const net = (model: string) => loadNetwork(join(MODELS, `${model}.json`));
const TP = planOptionsFor("cuda", { timeParallel: true });

describe("the default plans run every stage step by step", () => {
  for (const backend of ["cpu", "cuda"] as const)
    it(`${backend}: no time-parallel stage, no currents kernel or buffer`, () => {
      for (const model of ["fmnist", "shd", "fmnist-conv", "shd-recurrent"]) {
        const plan = buildPlan(net(model), undefined, BACKENDS[backend].planDefaults);
        expect(lifStages(plan).map((s) => [s.forward, s.forwardWhy])).toEqual(
          lifStages(plan).map(() => ["step-by-step", "time-parallel currents are off for this plan"]),
        );
        expect(plan.kernels.filter((k) => k.kind === "forward_lif_currents")).toEqual([]);
        expect(plan.buffers.filter((b) => b.name.startsWith("currents_"))).toEqual([]);
      }
    });
});

describe("time-parallel currents asked for (CUDA)", () => {
  it("makes fmnist's two hidden layers time-parallel, each launching its currents kernel before its scan", () => {
    const plan = buildPlan(net("fmnist"), 256, TP);
    expect(lifStages(plan).map((s) => [s.id, s.forward, s.forwardWhy])).toEqual([
      ["l1", "time-parallel", "every step's currents first (78 KiB per sample), then one scan per neuron"],
      ["l2", "time-parallel", "every step's currents first (78 KiB per sample), then one scan per neuron"],
    ]);
    expect(plan.launches.forward).toEqual(["forward_currents_l1", "forward_lif_l1", "forward_currents_l2", "forward_lif_l2", "forward_readout_l3", "loss"]);
    expect(plan.kernels.find((k) => k.name === "forward_currents_l1")).toMatchObject({ kind: "forward_lif_currents", phase: "forward", stage: "l1", grid: "sample-steps" });
    // The backward does not change.
    expect(plan.launches.backward_sparse).toEqual(buildPlan(net("fmnist"), 256).launches.backward_sparse);
  });

  it("plans a currents buffer of B·(T−1)·N f32 per time-parallel stage, for every path, scaled with the batch", () => {
    const currents = (batch: number) => buildPlan(net("fmnist"), batch, TP).buffers.filter((b) => b.name.startsWith("currents_"));
    expect(currents(256).map((b) => [b.name, b.elem, b.count, b.bytes, b.role, b.path, b.growable])).toEqual([
      ["currents_l1", "f32", 256 * 99 * 200, 256 * 99 * 200 * 4, "forward", "both", false],
      ["currents_l2", "f32", 256 * 99 * 200, 256 * 99 * 200 * 4, "forward", "both", false],
    ]);
    expect(currents(8)[0].count).toBe(8 * 99 * 200);
    expect(currents(8)[0].scale).toEqual({ kind: "batch", perSample: 99 * 200, extra: 0 });
    // Nothing else is added: the scan writes the active set in place.
    const names = (p: ReturnType<typeof buildPlan>) => p.buffers.map((b) => b.name);
    expect(names(buildPlan(net("fmnist"), 8, TP)).filter((n) => !names(buildPlan(net("fmnist"), 8)).includes(n))).toEqual(["currents_l1", "currents_l2"]);
  });

  it("keeps recurrent and conv stages step by step, saying why, and makes the others time-parallel", () => {
    const rec = lifStages(buildPlan(net("shd-recurrent"), undefined, TP));
    expect(rec.map((s) => [s.id, s.forward, s.forwardWhy])).toEqual([["l1", "step-by-step", "recurrent: the spikes of step t feed the currents of step t+1"]]);
    const conv = lifStages(buildPlan(net("nmnist-conv"), undefined, TP));
    expect(conv.map((s) => [s.id, s.forward])).toEqual([["l1", "step-by-step"], ["l2", "step-by-step"], ["l4", "step-by-step"], ["l7", "time-parallel"]]);
    expect(conv[0].forwardWhy).toMatch(/^conv: no time-parallel conv forward is generated \(every step's currents would be [0-9.]+ MiB per sample\)$/);
  });

  it("refuses stages whose currents exceed the backend's limit, and a single step", () => {
    const layer = (nOut: number) => ({ nOut }) as SpikingLayer;
    expect(CUDA_MAX_CURRENTS_BYTES).toBeGreaterThan(TIME_PARALLEL_MAX_BYTES);
    // 1000 steps × 2048 neurons = 7.8 MiB: over the CPU's cache-sized limit, within CUDA's.
    expect(chooseForward(layer(2048), "dense", false, 1000, { timeParallel: "auto" })).toEqual({
      forward: "step-by-step",
      why: "the currents of every step (7.8 MiB per sample) exceed 1 MiB",
    });
    expect(chooseForward(layer(2048), "dense", false, 1000, TP).forward).toBe("time-parallel");
    expect(chooseForward(layer(4096), "dense", false, 1000, TP)).toEqual({
      forward: "step-by-step",
      why: "the currents of every step (15.6 MiB per sample) exceed 8 MiB",
    });
    expect(chooseForward(layer(10), "dense", false, 1, TP)).toEqual({
      forward: "step-by-step",
      why: "one step: no input current acts (the input of step 0 would act on V[1])",
    });
  });

  it("takes a spiking readout like a hidden layer", () => {
    const plan = buildPlan(lowerSpec(resolveSpec(randomSpec(13, { spikingReadout: true }))), undefined, TP);
    const readout = lifStages(plan).find((s) => s.countLogits)!;
    expect([readout.forward, readout.inputScale !== 1]).toEqual(["time-parallel", true]);
    expect(plan.launches.forward).toContain(`forward_currents_${readout.id}`);
  });
});

describe("which backend generates a time-parallel plan", () => {
  it("the CUDA backend generates it; the CPU backend refuses it in one sentence naming the layer", () => {
    const plan = buildPlan(net("fmnist"), undefined, TP);
    expect(() => assertBackendSupports(plan, "cuda")).not.toThrow();
    expect(() => assertBackendSupports(plan, "cpu")).toThrow(PlanError);
    expect(() => assertBackendSupports(plan, "cpu")).toThrow(
      /^\/layers\/0: the CPU backend runs the forward step by step; build the plan with time-parallel currents off$/,
    );
  });

  it("time-parallel plan options exist for CUDA only, and only when asked", () => {
    expect(planOptionsFor("cuda")).toEqual({ timeParallel: "off", maxCurrentsBytes: CUDA_MAX_CURRENTS_BYTES });
    expect(planOptionsFor("cuda", { timeParallel: true })).toEqual({ timeParallel: "auto", maxCurrentsBytes: CUDA_MAX_CURRENTS_BYTES });
    expect(planOptionsFor("cpu")).toEqual({ timeParallel: "off" });
    expect(planOptionsFor("cuda", { stepGraph: true, overlapUpload: true })).toEqual({ timeParallel: "off", maxCurrentsBytes: CUDA_MAX_CURRENTS_BYTES, stepGraph: true, overlapUpload: true });
    expect(() => planOptionsFor("cpu", { timeParallel: true })).toThrow(/time-parallel asked of the cpu backend/);
  });

  it("builds the time-parallel variant into its own folder beside the default one", () => {
    const n = net("fmnist");
    const base = join(GENERATED_ROOT, `fmnist-${n.specHash.slice(0, 12)}`);
    expect(generatedDir(n, "cuda")).toBe(join(base, "cuda"));
    expect(generatedDir(n, "cuda", { timeParallel: true })).toBe(join(base, "cuda-time-parallel"));
    expect(generatedDir(n, "cuda", { timeParallel: false })).toBe(join(base, "cuda"));
  });
});
