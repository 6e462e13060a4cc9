// HIP-CPU's stream thread waits for work by spinning, for the life of the process; the emulated
// build makes it sleep between short spins (templates/emulated-cuda/hip_cpu_yield.h). Unpatched, a
// process that had run one emulated kernel kept most of a core busy while doing nothing (5.8 s of
// CPU in 8 s, 2.2 s in 4 s with another process on the machine), which slowed every test file
// run beside it. Measured here as CPU time, not speed: what the process burns while it waits.

import { expect, it } from "vitest";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { buildModel } from "../support/build-model.ts";
import { randomBatch } from "../support/random-data.ts";
import { randomSpec } from "../support/random-spec.ts";
import { describeEmulated } from "./emulated-cuda.ts";

describeEmulated("the emulated CUDA build at rest", () => {
  it("takes almost no CPU after running kernels: under 1 s in 4 s of waiting", async () => {
    const { net, addon } = await buildModel(randomSpec(1), "cuda", { emulated: true });
    const model = new SnnModel(net, addon, { batch: 4, seed: 1 });
    try {
      model.forward(randomBatch(net.steps, net.input.size, 4, net.classes, 0.1, 3));
      model.backwardPass();
    } finally {
      model.dispose();
    }
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1e6).toBeLessThan(1);
  }, 600_000);
});
