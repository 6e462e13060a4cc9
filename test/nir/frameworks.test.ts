// How `--from`, the file's metadata and the low-level flags decide an import's conventions
// (compiler/nir/frameworks.ts): the framework named wins over the metadata, a flag over the
// framework's one field it names; a file that names nobody is read NIR's way, and says so; a step
// nobody gives is a usage error (exit 2) in one sentence.

import { describe, expect, it } from "vitest";
import { exporterFromMetadata, resolveConventions } from "../../compiler/nir/frameworks.ts";
import { nirArray, NirUsageError, scalar, type NirGraph, type NirNode } from "../../compiler/nir/graph.ts";

const lif = (metadata?: NirNode["metadata"]): NirNode => ({
  type: "LIF",
  params: { tau: nirArray([0.002, 0.002], [2], "f32"), r: nirArray([20, 20], [2], "f32"), v_leak: nirArray([0, 0]), v_threshold: nirArray([1, 1]) },
  ...(metadata ? { metadata } : {}),
});
const graph = (metadata: NirGraph["metadata"] = {}, node = lif()): NirGraph => ({ nodes: new Map([["lif1", node]]), edges: [], metadata });

describe("the exporter a file names", () => {
  it("is snnc when the graph carries snnc's spec, else a framework named under framework/exporter/source/library", () => {
    expect(exporterFromMetadata(graph({ snnc_spec: "{}" }))).toBe("snnc");
    expect(exporterFromMetadata(graph({ framework: "Rockpool 2.7" }))).toBe("rockpool");
    expect(exporterFromMetadata(graph({ source: "snnTorch" }))).toBe("snntorch");
    expect(exporterFromMetadata(graph({ framework: "brian2" }))).toBeNull();
    expect(exporterFromMetadata(graph())).toBeNull();
  });
});

describe("resolveConventions", () => {
  it("takes the framework's conventions, and a flag overrides just its field", () => {
    const r = resolveConventions(graph(), { from: "rockpool", dtMs: 1 });
    expect(r.conventions).toEqual({ dtMs: 1, discretization: "exact", reset: "subtract_same_step", ifGain: "per-step", inputGain: { lif: "one", li: "one", synapse: "alpha_syn" } });
    expect(resolveConventions(graph(), { from: "rockpool", dtMs: 1, reset: "subtract", inputGain: "nir" }).conventions).toMatchObject({
      discretization: "exact",
      reset: "subtract",
      inputGain: { lif: "nir", li: "nir", synapse: "nir" },
    });
  });

  it("reads the exporter from the metadata when --from is not given, and --from wins over it", () => {
    const named = graph({ framework: "norse" });
    const r = resolveConventions(named, { dtMs: 1 });
    expect([r.exporter, r.how, r.conventions.reset]).toEqual(["norse", "metadata", "to_reset"]);
    expect(r.notes).toContain("the file's metadata names its exporter: Norse");
    expect(resolveConventions(named, { from: "spyx", dtMs: 1 }).exporter).toBe("spyx");
  });

  it("reads a file that names nobody NIR's way, and says so in one line", () => {
    const r = resolveConventions(graph(), { dtMs: 1 });
    expect(r.conventions).toEqual({ dtMs: 1, discretization: "exact", reset: "subtract", ifGain: "literal", inputGain: { lif: "nir", li: "nir", synapse: "nir" } });
    expect(r.notes).toEqual([
      "the file does not say which framework wrote it, so NIR's own definitions were assumed: name its exporter with --from snntorch|norse|sinabs|rockpool|spyx|lava|snnc",
    ]);
  });

  it("takes the step from the framework where it fixes one, and says where it came from", () => {
    expect(resolveConventions(graph(), { from: "snntorch" }).conventions.dtMs).toBe(0.1); // τ/r
    expect(resolveConventions(graph(), { from: "sinabs" }).conventions.dtMs).toBe(1000); // τ in steps
    expect(resolveConventions(graph(), { from: "sinabs" }).notes).toEqual(["dt = 1000 ms: Sinabs counts τ in time steps, so one step is one unit of the file's τ"]);
    expect(resolveConventions(graph(), { from: "snntorch", dtMs: 1 }).conventions.dtMs).toBe(1);
  });

  it("needs --dt-ms when nothing gives the step: a usage error (exit 2)", () => {
    const e = (() => {
      try {
        resolveConventions(graph(), {});
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(NirUsageError);
    expect((e as NirUsageError).exitCode).toBe(2);
    expect((e as Error).message).toBe(
      "--dt-ms is required: NIR files do not store the step they were simulated at, and this one does not say which framework wrote it (name it with --from snntorch|norse|sinabs|rockpool|spyx|lava|snnc, or give --dt-ms)",
    );
  });

  it("refuses --from snnc for a file snnc did not export", () => {
    expect(() => resolveConventions(graph(), { from: "snnc", dtMs: 1 })).toThrow(
      "--from snnc: the file has no snnc metadata (dt_ms, discretization, reset), so snnc did not export it; name the framework that did",
    );
  });

  it("reads snnc's own conventions, step included, from its metadata", () => {
    const m = { snnc_spec: "{}", dt_ms: scalar(0.5), discretization: "euler", reset: "subtract_same_step", if_gain: "per-step", input_gain: "nir" };
    expect(resolveConventions(graph(m), {}).conventions).toEqual({
      dtMs: 0.5,
      discretization: "euler",
      reset: "subtract_same_step",
      ifGain: "per-step",
      inputGain: { lif: "nir", li: "nir", synapse: "nir" },
    });
  });

  it("reads snnTorch's reset from the graph's or a node's metadata: reset_delay=False, reset_mechanism zero", () => {
    const nodeSays = graph({}, lif({ reset_delay: scalar(0, "i64") }));
    expect(resolveConventions(nodeSays, { from: "snntorch" }).conventions.reset).toBe("subtract_same_step");
    expect(resolveConventions(graph({ reset_delay: "False" }), { from: "snntorch" }).conventions.reset).toBe("subtract_same_step");
    expect(resolveConventions(graph({ reset_delay: "True" }), { from: "snntorch" }).conventions.reset).toBe("subtract");
    expect(resolveConventions(graph({ reset_mechanism: "zero" }), { from: "snntorch" }).conventions.reset).toBe("to_reset");
    expect(resolveConventions(graph({ reset_delay: "False" }), { from: "snntorch", reset: "subtract" }).conventions.reset).toBe("subtract");
    expect(() => resolveConventions(graph({ reset_mechanism: "none" }), { from: "snntorch" })).toThrow('the file says reset_mechanism "none"');
  });
});
