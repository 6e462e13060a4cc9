// The CUDA kernels on the CPU under AddressSanitizer (test/backends/asan.ts): no kernel of
// the cases below reads or writes outside a device buffer, and they still match the CPU backend.
// A kernel made to read one element past its weights is stopped with a report naming it, so a
// run without a report means the checks were there.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { GENERATED_ROOT } from "../../compiler/pipeline.ts";
import { EMULATED_CHECKED } from "../support/emulated-cuda-cases.ts";
import { buildModelAddon, networkOf } from "../support/build-model.ts";
import { describeEmulated } from "./emulated-cuda.ts";
import { checkUnderAsan, describeAsan, runUnderAsan } from "./asan.ts";
import { buildEditedEmulated } from "./sanitizer-run.ts";

describeEmulated("emulated CUDA under AddressSanitizer", () => describeAsan("no access outside a device buffer", () => {
  for (const c of EMULATED_CHECKED) it(c.name, () => checkUnderAsan(c), 600_000);

  const oobDir = join(GENERATED_ROOT, `test-asan-oob-${process.pid}`);
  afterAll(() => rmSync(oobDir, { recursive: true, force: true }));

  it("stops a kernel that reads one element past its weights, naming the kernel", async () => {
    const net = networkOf("models/tiny.json");
    const entry = "forward_lif_l1(Buffers d, bool record_v, bool record_active) {\n";
    const w1 = net.layers.flatMap((l) => ("weights" in l ? l.weights : [])).find((w) => w.name === "w1")!;
    const cuda = await buildEditedEmulated("models/tiny.json", { asan: true }, oobDir, (kernels) => {
      expect(kernels).toContain(entry);
      return kernels.replace(entry, `${entry}  if (threadIdx.x == 0 && blockIdx.x == 0) { volatile float past = d.w1[${w1.size}]; (void)past; }\n`);
    });
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
