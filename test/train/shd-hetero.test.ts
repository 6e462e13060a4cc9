// models/shd-hetero.json (shd-recurrent with per-neuron gamma-drawn τ and τ_syn, both trained;
// Perez-Nieves et al. 2021) trains through `snnc train` on the committed SHD fixture: the hidden
// layer spikes, the checkpoint holds α and α_syn per neuron, moved by training and inside the
// clamp, and `snnc inspect` shows the drawn τ per layer.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { weightTensors } from "../../compiler/ir/layers.ts";
import { loadCheckpoint } from "../../runtime/checkpoint/checkpoint.ts";
import { initialWeights } from "../../runtime/model/weight-init.ts";
import { networkOf } from "../support/build-model.ts";
import { trainOnShdFixture } from "./shd-fixture.ts";
import { tempDir } from "./support.ts";

const tmp = tempDir("shd-hetero");
afterAll(() => tmp.remove());

describe("snnc train models/shd-hetero.json on the SHD fixture", () => {
  it("trains 2 epochs at batch 4; α and α_syn per neuron move and stay in [α(Δt), α(1000·Δt)]", () => {
    const out = join(tmp.path, "run");
    trainOnShdFixture("models/shd-hetero.json", out);

    const net = networkOf("models/shd-hetero.json");
    const init = initialWeights(net, net.training.seed);
    const ckpt = loadCheckpoint(join(out, "last.safetensors"));
    for (const name of ["a1", "as1"]) {
      const w = weightTensors(net).find((x) => x.name === name)!;
      const t = ckpt.tensors.get(name)!;
      expect(t.shape).toEqual([128]);
      const a = t.data as Float32Array;
      expect(a, `${name} trained`).not.toEqual(init.get(name));
      expect(Math.min(...a)).toBeGreaterThanOrEqual(w.init.tau!.alphaMin);
      expect(Math.max(...a)).toBeLessThanOrEqual(w.init.tau!.alphaMax);
    }

    const inspect = spawnSync(process.execPath, ["bin/snnc.mjs", "inspect", "models/shd-hetero.json"], { encoding: "utf8" });
    expect(inspect.status).toBe(0);
    expect(inspect.stdout).toContain("per neuron, gamma(mean 20 ms, k 3), trained");
    expect(inspect.stdout).toMatch(/Per-neuron τ at init/);
    expect(inspect.stdout).toMatch(/a1 +l1 +τ +\d/);
    expect(inspect.stdout).toMatch(/as1 +l1 +τ_syn +\d/);
  });
});
