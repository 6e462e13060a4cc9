// The CUDA kernels on the CPU under racecheck (test/backends/racecheck.ts): no two threads of the
// cases below touch a __shared__ word or a device-buffer word without a barrier (or an atomic)
// between them, no thread touches memory outside a __shared__ variable, and the cases still match
// the CPU backend. The detector itself is checked on small kernels (fixtures/races.cu), and on the
// real kernels with a barrier or an atomic taken out, or a loop one step too long: each such kernel
// is stopped, the report naming it, the memory and the threads.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { emulateCudaFiles } from "../../compiler/backends/emulated-cuda/emulate.ts";
import { parseShared, registerShared, withRacecheck } from "../../compiler/backends/emulated-cuda/racecheck.ts";
import { planOptionsFor } from "../../compiler/backends/plan-options.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { GENERATED_ROOT } from "../../compiler/pipeline.ts";
import { EMULATED_CHECKED, EMULATED_CONV, EMULATED_DENSE, EMULATED_SHIPPED, type EmulatedCase } from "../support/emulated-cuda-cases.ts";
import { buildModelAddon, networkOf } from "../support/build-model.ts";
import { vsCpuDensity } from "./cuda-vs-cpu.ts";
import { buildEmulatedFixture, describeEmulated, EMULATION } from "./emulated-cuda.ts";
import { checkUnderRacecheck, RACE_REPORT, runUnderRacecheck } from "./racecheck.ts";
import { buildEditedEmulated } from "./sanitizer-run.ts";

/** The variable a `__shared__` declaration line declares, or null where the line is not one. */
const sharedName = (line: string) => parseShared(line)?.name ?? null;

describe("racecheck's registration of __shared__ variables", () => {
  it("names the variable of every declaration form the kernels use", () => {
    expect(sharedName("  __shared__ uint32_t s_in_off[T + 1];")).toBe("s_in_off");
    expect(sharedName("  __shared__ uint32_t chunk_count[2][WARPS];  // double-buffered: one barrier per chunk suffices")).toBe("chunk_count");
    expect(sharedName("  __shared__ union { float delta[N_OUT]; uint32_t entry[N_OUT]; } s_delta_or_entry;")).toBe("s_delta_or_entry");
    expect(sharedName("  __shared__ double part[GRAD_NORM_BLOCK];")).toBe("part");
    expect(sharedName("  __shared__ unsigned counter;")).toBe("counter");
    expect(sharedName("  float x[4];  // __shared__ in a comment")).toBeNull();
  });

  it("follows every __shared__ declaration of every case's kernels.cu with its registration", () => {
    let declarations = 0;
    for (const c of [...EMULATED_SHIPPED, ...EMULATED_DENSE, ...EMULATED_CONV]) {
      const plan = buildPlan(networkOf(c.spec()), undefined, planOptionsFor("cuda", { emulated: true, racecheck: true, timeParallel: c.timeParallel }));
      const emulated = emulateCudaFiles(plan, c.name, emitBackend(plan, "cuda", c.name));
      const files = withRacecheck(plan, c.name, emulated);
      const shared = (content: string) => content.split("\n").filter((l) => /^\s*__shared__\s/.test(l));
      const lines = shared(emulated.find((f) => f.path === "kernels.cu")!.content);
      const registered = shared(files.find((f) => f.path === "kernels.cu")!.content);
      expect(registered).toHaveLength(lines.length);
      lines.forEach((line, k) => expect(registered[k]).toContain(`auto& ${sharedName(line)} = ${sharedName(line)}_guarded.v; SNNC_RACECHECK_SHARED(${sharedName(line)});`));
      declarations += lines.length;
      expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(["emulated/racecheck.h", "emulated/racecheck.cpp"]));
    }
    expect(declarations).toBeGreaterThan(100);
  });

  it("puts every variable between two guards, its name bound to it, whatever its type", () => {
    expect(registerShared("  __shared__ uint32_t chunk_count[2][WARPS];  // double-buffered; one barrier")).toBe(
      "  __shared__ struct { char guard[64]; uint32_t v[2][WARPS]; char guard_after[64]; } chunk_count_guarded; " +
        "auto& chunk_count = chunk_count_guarded.v; SNNC_RACECHECK_SHARED(chunk_count);  // double-buffered; one barrier",
    );
    expect(registerShared("  __shared__ union { float delta[N]; uint32_t entry[N]; } s_both;")).toBe(
      "  __shared__ struct { char guard[64]; union { float delta[N]; uint32_t entry[N]; } v; char guard_after[64]; } s_both_guarded; " +
        "auto& s_both = s_both_guarded.v; SNNC_RACECHECK_SHARED(s_both);",
    );
  });

  it("refuses a declaration it cannot name rather than leave it unchecked", () => {
    // A declaration over two lines: the first has no end to name a variable by.
    expect(() => registerShared("  __shared__ float s_wide[N_OUT]\n      [2];")).toThrow(/cannot name the variable/);
  });
});

describeEmulated("emulated CUDA under racecheck", () => {
  describe("the detector, on small kernels", () => {
    const dir = mkdtempSync(join(tmpdir(), "snnc-races-"));
    let exe = "";
    beforeAll(() => {
      if (EMULATION.ok) exe = buildEmulatedFixture("races", dir, { racecheck: true });
    }, 300_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const run = (mode: string) => spawnSync(exe, [mode], { encoding: "utf8", timeout: 60_000 });

    for (const [mode, what] of [
      ["barrier", "threads reading each other's __shared__ slots after __syncthreads"],
      ["warp-barrier", "lanes reading a neighbour lane's slot after __syncwarp"],
      ["atomics", "threads adding to one __shared__ counter with atomics, read after a barrier"],
      ["blocks-atomic", "two blocks adding to one device word with atomics"],
      ["scratch-barrier", "each block's threads sharing device scratch across a barrier"],
      ["launches", "a launch reading what the previous launch wrote"],
    ] as const)
      it(`lets ${what} through`, () => {
        const r = run(mode);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/^ok /);
      });

    for (const [mode, what, line] of [
      ["no-barrier", "a __shared__ slot read before its writer wrote it, no barrier between", "kernel neighbours, block 0: __shared__ slots, bytes 4-7: thread 1 writes it where thread 0 read it"],
      ["warp-barrier-across-warps", "a __syncwarp taken to order two warps", "kernel neighbours, block 0: __shared__ slots, bytes 128-131: thread 32 writes it where thread 0 read it"],
      ["shuffle", "a shuffle taken for a barrier", "kernel neighbours, block 0: __shared__ slots, bytes 4-7: thread 0 reads it where thread 1 wrote it"],
      ["atomic-then-read", "a plain read of a counter other threads still add to", "kernel count, block 0: __shared__ counter, bytes 0-3: thread 1 writes it where thread 0 read it"],
      ["blocks", "two blocks writing one device word", "kernel every_block, block 1: bytes 0-3 of a 1024-byte device buffer: thread 0 writes it where thread 0 of block 0 wrote it"],
      ["scratch", "device scratch read before its writer wrote it", "kernel scratch, block 0: bytes 4-7 of a 1024-byte device buffer: thread 1 writes it where thread 0 read it"],
    ] as const)
      it(`stops ${what}, in one line`, () => {
        const r = run(mode);
        expect(r.signal).toBe("SIGABRT");
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain(`snnc emulated CUDA racecheck: ${line}, with no barrier between them`);
      });

    for (const [mode, offset] of [
      ["past-the-end", 256],
      ["before-the-start", -4],
    ] as const)
      it(`stops a read ${mode.replaceAll("-", " ")} of a __shared__ array, in one line`, () => {
        const r = run(mode);
        expect(r.signal).toBe("SIGABRT");
        expect(r.stderr.trim().split("\n")).toEqual([
          `snnc emulated CUDA racecheck: kernel outside, block 0: thread 0 reads 4 bytes at offset ${offset} of __shared__ slots, which has 256 bytes: out of its bounds (on a GPU another variable's data, or an error)`,
        ]);
      });
  });

  describe("no race in the CUDA kernels", () => {
    for (const c of EMULATED_CHECKED) it(c.name, () => checkUnderRacecheck(c), 600_000);
  });

  describe("a kernel made racy, or to write past a __shared__ array, is stopped", () => {
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    /** The case's racecheck build with `from` replaced by `to` in kernels.cu (every occurrence, at
     *  least one), run against the CPU backend: the child's stderr. */
    async function mutated(c: EmulatedCase, from: string, to: string): Promise<{ status: number | null; stderr: string }> {
      const spec = c.spec();
      const net = networkOf(spec);
      const dir = join(GENERATED_ROOT, `test-racecheck-${dirs.length}-${process.pid}`);
      dirs.push(dir);
      const addonPath = await buildEditedEmulated(spec, { racecheck: true }, dir, (kernels) => {
        expect(kernels).toContain(from);
        return kernels.replaceAll(from, to);
      });
      const { addonPath: reference } = await buildModelAddon(spec, "cpu");
      const density = c.density ?? vsCpuDensity(net, c.shipped === true);
      const run = runUnderRacecheck({ mode: "vs-cpu", spec, addon: addonPath, reference, seed: c.seed, density, batch: 4, dense: false });
      return { status: run.status, stderr: run.stderr };
    }
    const named = (list: EmulatedCase[], name: string) => list.find((c) => c.name === name) ?? expect.fail(`no case ${name}`);
    const dense = named(EMULATED_DENSE, "random-1");
    const conv = named(EMULATED_CHECKED, "neurons-13");

    it("the barrier between scattering the active entries' ∂L/∂V into __shared__ memory and reading them", async () => {
      const r = await mutated(dense, "      s_e[j] = (reg[j] + act_grad[e]) * act_surr[e];\n    }\n    __syncthreads();\n", "      s_e[j] = (reg[j] + act_grad[e]) * act_surr[e];\n    }\n");
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/snnc emulated CUDA racecheck: kernel backward_sparse_l\d, block \d+: __shared__ s_e, bytes \d+-\d+: thread \d+ reads it where thread \d+ wrote it, with no barrier between them/);
    }, 600_000);

    it("the barrier before a conv layer's adjoints in device scratch are updated by other threads", async () => {
      const r = await mutated(conv, "__syncthreads();  // an active entry's neuron may belong to another thread", "/* no barrier */");
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/snnc emulated CUDA racecheck: kernel backward_sparse_l\d, block \d+: bytes \d+-\d+ of a \d+-byte device buffer: thread \d+ (reads|writes) it where thread \d+ (wrote|read) it, with no barrier/);
    }, 600_000);

    it("one more active-set offset staged than a __shared__ array holds", async () => {
      const r = await mutated(dense, "for (int k = threadIdx.x; k <= T; k += blockDim.x) s_off[k] = offsets[k];", "for (int k = threadIdx.x; k <= T + 1; k += blockDim.x) s_off[k] = offsets[k];");
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/snnc emulated CUDA racecheck: kernel backward_\w+, block \d+: thread \d+ writes 4 bytes at offset (\d+) of __shared__ s_\w+_off, which has \1 bytes: out of its bounds/);
    }, 600_000);

    it("the atomic that marks an overflowing active set, which several blocks may reach in one launch", async () => {
      const r = await mutated(dense, "atomicAdd(&d.stats[STAT_OVERFLOWED], 1.0);", "d.stats[STAT_OVERFLOWED] = 1.0;");
      expect(r.status).not.toBe(0);
      // STAT_OVERFLOWED, the stats' double 4: bytes 32-39, the first word reported.
      expect(r.stderr).toMatch(/snnc emulated CUDA racecheck: kernel forward_lif_l\d, block \d+: bytes 32-35 of a \d+-byte device buffer: thread 0 writes it where thread 0 of block \d+ wrote it/);
    }, 600_000);
  });
});
