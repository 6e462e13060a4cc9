// The CUDA kernels on the CPU under AddressSanitizer (test/backends/asan.ts): no kernel of
// the cases below reads or writes outside a device buffer, and they still match the CPU backend.
// A kernel made to read one element past its weights is stopped with a report naming it, so a
// run without a report means the checks were there.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { emitBackend } from "../../compiler/backends/emit.ts";
import { withAddressSanitizer } from "../../compiler/backends/address-sanitizer.ts";
import { emulateCudaFiles } from "../../compiler/backends/emulated-cuda/emulate.ts";
import { planOptionsFor } from "../../compiler/backends/plan-options.ts";
import { buildAddon } from "../../compiler/build/build-addon.ts";
import { writeGenerated } from "../../compiler/build/write-generated.ts";
import { buildPlan } from "../../compiler/plan/build-plan.ts";
import { GENERATED_ROOT } from "../../compiler/pipeline.ts";
import { EMULATED_CHECKED } from "../support/emulated-cuda-cases.ts";
import { buildModelAddon, networkOf } from "../support/build-model.ts";
import { describeEmulated } from "./emulated-cuda.ts";
import { checkUnderAsan, describeAsan, runUnderAsan } from "./asan.ts";

describeEmulated("emulated CUDA under AddressSanitizer", () => describeAsan("no access outside a device buffer", () => {
  for (const c of EMULATED_CHECKED) it(c.name, () => checkUnderAsan(c), 600_000);

  const oobDir = join(GENERATED_ROOT, `test-asan-oob-${process.pid}`);
  afterAll(() => rmSync(oobDir, { recursive: true, force: true }));

  it("stops a kernel that reads one element past its weights, naming the kernel", async () => {
    const net = networkOf("models/tiny.json");
    const plan = buildPlan(net, undefined, planOptionsFor("cuda", { emulated: true }));
    const emulated = emulateCudaFiles(plan, "tiny.json", emitBackend(plan, "cuda", "tiny.json"));
    const kernels = emulated.find((f) => f.path === "kernels.cu")!;
    const entry = "forward_lif_l1(Buffers d, bool record_v, bool record_active) {\n";
    expect(kernels.content).toContain(entry);
    const w1 = net.layers.flatMap((l) => ("weights" in l ? l.weights : [])).find((w) => w.name === "w1")!;
    kernels.content = kernels.content.replace(
      entry,
      `${entry}  if (threadIdx.x == 0 && blockIdx.x == 0) { volatile float past = d.w1[${w1.size}]; (void)past; }\n`,
    );
    writeGenerated(oobDir, withAddressSanitizer(plan, "cuda", "tiny.json", emulated));
    const { addonPath: cuda } = await buildAddon(oobDir);
    const { addonPath: cpu } = await buildModelAddon("models/tiny.json", "cpu");
    const run = runUnderAsan({ mode: "vs-cpu", spec: "models/tiny.json", addon: cuda, reference: cpu, seed: 1, density: 0.2, batch: 4, dense: false });
    expect(run.status).not.toBe(0);
    expect(run.result).toBeNull();
    expect(run.stderr).toMatch(/ERROR: AddressSanitizer: heap-buffer-overflow/);
    expect(run.stderr).toMatch(/READ of size 4/);
    expect(run.stderr).toMatch(/in snn::\(anonymous namespace\)::forward_lif_l1\(/);
    expect(run.stderr).toContain(`0 bytes to the right of ${w1.size * 4}-byte region`);
  }, 600_000);
}));
