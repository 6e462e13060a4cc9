// The CLI's small pieces: the table formatter, byte formatting, the memory summary and finding a
// kernel in emitted source.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";
import { networkSummary, sig9 } from "../../runtime/cli/describe.ts";
import { findKernelSource } from "../../runtime/cli/kernel-source.ts";
import { summariseMemory } from "../../runtime/cli/memory.ts";
import { formatBytes, formatCount, table } from "../../runtime/cli/table.ts";

const MODELS = join(import.meta.dirname, "..", "..", "models");
const net = (m: string) => lowerSpec(loadSpecOrThrow(join(MODELS, `${m}.json`)).spec);

describe("table", () => {
  it("pads columns to the widest cell, right-aligns numbers, rules the header", () => {
    const text = table(["name", { header: "bytes", align: "right" }, "what"], [["w1", 384, "weights"], "group", ["grad_w1", "12", "∂L/∂w1"]], { indent: "  " });
    expect(text.split("\n")).toEqual([
      "  name     bytes  what",
      "  -------  -----  -------",
      "  w1         384  weights",
      "  group",
      "  grad_w1     12  ∂L/∂w1",
    ]);
  });

  it("counts α and → as one column each and trims trailing spaces", () => {
    expect(table(["a", "b"], [["α", "x"], ["→→", ""]], { header: false }).split("\n")).toEqual(["α   x", "→→"]);
  });
});

describe("formatting", () => {
  it.each([
    [0, "0 B"],
    [72, "72 B"],
    [999, "999 B"],
    [1024, "1.0 KiB"],
    [627200, "613 KiB"],
    [1024000, "0.98 MiB"],
    [12721484, "12.1 MiB"],
    [81920000, "78.1 MiB"],
    [3 * 1024 ** 3, "3.0 GiB"],
  ])("formatBytes(%d) = %s", (n, want) => expect(formatBytes(n)).toBe(want));

  it("groups thousands and keeps 9 significant digits", () => {
    expect(formatCount(81920000)).toBe("81,920,000");
    expect(sig9(Math.exp(-0.1))).toBe("0.904837418");
    expect(sig9(Math.exp(-0.2))).toBe("0.818730753");
    expect(sig9(0.2)).toBe("0.2");
    expect(sig9(100)).toBe("100");
  });

  it("summarises a network in one line", () => {
    expect(networkSummary(net("fmnist"))).toBe("fmnist: 784 → 200 → 200 → 10, T=100");
    expect(networkSummary(net("fmnist-deep"))).toBe("fmnist-deep: 784 → 300 → 300 → 300 → 300 → 300 → 10, T=100");
  });
});

describe("summariseMemory", () => {
  it("totals tiny's paths as the plan test computes them by hand", () => {
    const m = summariseMemory(buildPlan(net("tiny")));
    expect(m.batch).toBe(4);
    expect(m.sparse).toEqual({ total: 4252 + 1120, backwardOnly: 1120 });
    expect(m.dense).toEqual({ total: 4252 + 7168, backwardOnly: 7168 });
    expect(m.backwardSaving).toBeCloseTo(1 - 1120 / 7168, 12);
    expect(Object.values(m.byRole).reduce((a, b) => a + b, 0)).toBe(4252 + 1120 + 7168);
    expect(m.byRole.parameters).toBe(4 * (96 + 48 + 18));
  });
});

describe("findKernelSource", () => {
  const src = [
    "#include <x>",
    "// helper: not this one",
    "int helper(int a);",
    "",
    "// forward_lif_l1: the forward of l1,",
    "// over every step.",
    "template <int N>",
    "__global__ void __launch_bounds__(256) forward_lif_l1(Buffers d,",
    "                                                      bool record_v) {",
    '  const char* s = "}";  // a brace in a string',
    "  if (record_v) { f(); }",
    "}",
    "",
    "void run_adam(const Buffers& d) {",
    "  // adam_w1",
    "#pragma omp parallel for",
    "  for (long k = 0; k < 96L; ++k)",
    "    update(d.w1[k]);",
    "  // adam_w2",
    "  for (long k = 0; k < 48L; ++k) update(d.w2[k]);",
    "}",
    "void caller() { forward_lif_l1(d, true); }",
  ].join("\n");
  const files = [{ path: "kernels.cu", content: src }];

  it("returns a definition with its comment, template line and whole body", () => {
    const hit = findKernelSource(files, "forward_lif_l1")!;
    expect([hit.file, hit.firstLine, hit.lastLine, hit.within]).toEqual(["kernels.cu", 5, 12, undefined]);
    expect(hit.text.split("\n")[0]).toBe("// forward_lif_l1: the forward of l1,");
    expect(hit.text.split("\n").at(-1)).toBe("}");
  });

  it("skips declarations and calls", () => {
    expect(findKernelSource(files, "helper")).toBeNull();
    expect(findKernelSource([{ path: "a.cpp", content: "void caller() {\n  run(1);\n}\n" }], "run")).toBeNull();
  });

  it("finds a kernel inlined into a launcher by its marker comment", () => {
    const hit = findKernelSource(files, "adam_w1")!;
    expect(hit.within).toBe("run_adam");
    expect(hit.text.split("\n")).toEqual(["  // adam_w1", "#pragma omp parallel for", "  for (long k = 0; k < 96L; ++k)", "    update(d.w1[k]);"]);
  });

  it("returns null for a name that is nowhere", () => {
    expect(findKernelSource(files, "backward_sparse_l9")).toBeNull();
  });
});
