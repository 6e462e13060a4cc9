// The CUDA step launch options (compiler/plan/plan-options.ts): a step as one CUDA graph
// (stepGraph) and the next batch's upload overlapped with the step (overlapUpload). Off by default
// and emitted only when asked for; the CPU backend refuses them; with them on, every shipped model
// still compiles for sm_90 without spills and the addon builds and links (no GPU needed). Whether
// they run right is the GPU check's (scripts/gpu: the `+graph` cases).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitBackend, type EmittedFile } from "../../compiler/backends/emit.ts";
import { buildPlan, PlanError } from "../../compiler/plan/build-plan.ts";
import type { StepLaunchOptions } from "../../compiler/plan/plan-options.ts";
import { compileAndBuild, generatedDir, loadNetwork } from "../../compiler/pipeline.ts";
import { inspectJson, inspectText } from "../../runtime/cli/inspect-report.ts";
import { loadAddon } from "../../runtime/model/native.ts";
import { gpuPresent } from "../../runtime/model/open-model.ts";
import { ModelError, SnnModel } from "../../runtime/model/snn-model.ts";
import { compileCubin, hasNvcc, type CubinKernel } from "../support/nvcc-cubin.ts";

const root = mkdtempSync(join(tmpdir(), "snnc-step-launch-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BOTH: StepLaunchOptions = { stepGraph: true, overlapUpload: true };
const emit = (model: string, opts: StepLaunchOptions, backend: "cuda" | "cpu" = "cuda") =>
  emitBackend(buildPlan(loadNetwork(`models/${model}.json`), undefined, opts), backend, `${model}.json`);
const file = (files: EmittedFile[], path: string) => files.find((f) => f.path === path)!.content;
// The network's own files: addon.cpp and network-api.h, the binding every network shares, name
// both options whatever the plan (it asks network-api.cpp's Info which ones this network has).
const SHARED = new Set(["addon.cpp", "network-api.h"]);
const all = (files: EmittedFile[]) => files.filter((f) => !SHARED.has(f.path)).map((f) => f.content).join("\n");
const options = (files: EmittedFile[]) => /\n\s*(\w+), (\w+),\s*\/\/ plan options stepGraph, overlapUpload\n/.exec(file(files, "network-api.cpp"))?.slice(1);

// What each option adds to the emitted sources (and nothing else has).
const GRAPH = ["cudaStreamBeginCapture", "cudaGraphLaunch", "cudaGraphExecKernelNodeSetParams", "run_train_step_graph", "snn::step_graph_captures"];
const OVERLAP = ["cudaMallocHost", "cudaStreamWaitEvent", "snn::stage_inputs", "snn::use_staged_inputs", "StagedInputs"];

describe("the step launch options in the emitted sources", () => {
  it("are off by default: no graph, pinned memory or copy stream, and the same files as options given off", () => {
    const plain = emit("fmnist", {});
    expect(plain.find((f) => f.path === "kernels.cu")).toBeDefined();
    for (const s of [...GRAPH, ...OVERLAP]) expect(all(plain), s).not.toContain(s);
    expect(emit("fmnist", { stepGraph: false, overlapUpload: false })).toEqual(plain);
    expect(options(plain)).toEqual(["false", "false"]);
    expect(buildPlan(loadNetwork("models/fmnist.json")).stepLaunch).toEqual({ stepGraph: false, overlapUpload: false });
  });

  it("each adds its own code only", () => {
    const graph = all(emit("fmnist", { stepGraph: true }));
    for (const s of GRAPH) expect(graph, s).toContain(s);
    for (const s of OVERLAP) expect(graph, s).not.toContain(s);
    const overlap = all(emit("fmnist", { overlapUpload: true }));
    for (const s of OVERLAP) expect(overlap, s).toContain(s);
    for (const s of GRAPH) expect(overlap, s).not.toContain(s);
    const both = emit("fmnist", BOTH);
    for (const s of [...GRAPH, ...OVERLAP]) expect(all(both), s).toContain(s);
    expect(options(both)).toEqual(["true", "true"]);
    expect(options(emit("fmnist", { stepGraph: true }))).toEqual(["true", "false"]);
    // The graph's Adam nodes are found by the plan's Adam kernels' names.
    expect(file(both, "kernels.cu")).toContain('const char* const ADAM_KERNELS[] = { "adam_w1", "adam_w2", "adam_w3" };');
    // A conv network grows its scratch before a capture, never inside one.
    expect(file(emit("fmnist-conv", { stepGraph: true }), "kernels.cu")).toMatch(/g\.release\(\);\n\s+ensure_conv_work\(batch\);/);
  });

  it("the CPU backend refuses them in one sentence", () => {
    expect(() => emit("tiny", { stepGraph: true }, "cpu")).toThrow(PlanError);
    expect(() => emit("tiny", BOTH, "cpu")).toThrow(
      "--step-graph and --overlap-upload are CUDA only: the CPU backend has no kernel launches to capture or uploads to overlap; drop them or use --backend cuda",
    );
    expect(() => emit("tiny", { overlapUpload: true }, "cpu")).toThrow(/^--overlap-upload is CUDA only: .* drop it or use --backend cuda$/);
  });

  it("a build with them goes to its own folder", () => {
    const net = loadNetwork("models/tiny.json");
    const dirs = [generatedDir(net, "cuda"), generatedDir(net, "cuda", { stepGraph: true }), generatedDir(net, "cuda", { overlapUpload: true }), generatedDir(net, "cuda", BOTH)];
    expect(dirs.map((d) => d.split("/").pop())).toEqual(["cuda", "cuda-step-graph", "cuda-overlap-upload", "cuda-step-graph-overlap-upload"]);
    expect(generatedDir(net, "cuda", { stepGraph: false })).toBe(dirs[0]);
  });

  it("snnc inspect shows which the plan has", () => {
    const net = loadNetwork("models/tiny.json");
    const text = (opts: StepLaunchOptions) => inspectText({ network: net, source: "models/tiny.json", plan: buildPlan(net, undefined, opts) });
    expect(text({})).toMatch(/Step launch .*\n\s+step graph\s+off\s+one launch per kernel\n\s+overlap upload\s+off/);
    expect(text({ stepGraph: true })).toMatch(/step graph\s+on\s+the step's launches captured once into a CUDA graph and replayed\n\s+overlap upload\s+off/);
    expect(text(BOTH)).toMatch(/overlap upload\s+on\s+the next batch uploads from pinned memory while the step runs/);
    expect(inspectJson({ network: net, source: "x", plan: buildPlan(net, undefined, BOTH) }).plan?.stepLaunch).toEqual({ stepGraph: true, overlapUpload: true });
  });
});

const SHIPPED = ["tiny", "fmnist", "nmnist", "shd", "fmnist-deep", "fmnist-conv", "nmnist-conv", "shd-recurrent"];

describe.skipIf(!hasNvcc)("with both options on, the emitted CUDA compiles for sm_90 without spills", () => {
  for (const model of SHIPPED) {
    it(model, () => {
      const r = compileCubin(join(root, model), emit(model, BOTH));  // fails the test with nvcc's log
      expect(r.kernels.some((k) => k.name.includes("backward_sparse"))).toBe(true);
      expect(r.kernels.filter((k) => k.spillStores > 0 || k.spillLoads > 0).map((k) => k.name), r.log).toEqual([]);
      // The options change the host's part only: the same kernels as the default build.
      const plain = compileCubin(join(root, `${model}-plain`), emit(model, {}));
      // (Names in the anonymous namespace carry a hash of the file: compare without it.)
      const names = (ks: CubinKernel[]) => ks.map((k) => k.name.replace(/_GLOBAL__N__\w+?_kernels_cu_[0-9a-f]+/, "")).sort();
      expect(names(r.kernels)).toEqual(names(plain.kernels));
    });
  }
});

describe.skipIf(!hasNvcc || gpuPresent())("with both options on, the CUDA addon builds and links (no GPU here)", () => {
  it("tiny: builds with nvcc and g++, loads, says which options it has, and refuses a model in one sentence", async () => {
    const net = loadNetwork("models/tiny.json");
    // In its own folder under generated/ (an addon folder must be inside the project tree).
    const built = await compileAndBuild(net, "cuda", "tiny.json", { ...BOTH });
    expect(built.dir).toBe(generatedDir(net, "cuda", BOTH));
    const addon = loadAddon(built.addonPath);
    expect(addon.info).toMatchObject({ backend: "cuda", stepGraph: true, overlapUpload: true });
    expect(() => new SnnModel(net, addon)).toThrow(ModelError);
    expect(() => new SnnModel(net, addon)).toThrow(/^no CUDA device is available \(.+\); use --backend cpu$/);
  }, 600_000);
});
