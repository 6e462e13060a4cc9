// Lowering every shipped model: resolved constants and shapes against hand-computed values.
// (fmnist-conv lowers like the rest; only the kernel plan refuses it, see test/plan.)

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import type { DenseLayer, Layer, Network, ReadoutLayer } from "../../compiler/ir/types.ts";
import { verifyNetwork } from "../../compiler/ir/verify.ts";
import { loadSpecOrThrow, resolveSpec } from "../../compiler/spec/index.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";

const MODELS = join(import.meta.dirname, "..", "..", "models");
const lower = (file: string): Network => lowerSpec(loadSpecOrThrow(join(MODELS, file)).spec);
const sig9 = (x: number) => Number(x.toPrecision(9));
const dense = (net: Network) => net.layers.filter((l): l is DenseLayer => l.kind === "dense");
const readout = (net: Network) => net.layers[net.layers.length - 1] as ReadoutLayer;

describe("lowering the shipped models", () => {
  const files = readdirSync(MODELS).filter((f) => f.endsWith(".json")).sort();

  it("ships the seven models the issues name, the recurrent SHD model, its ALIF and heterogeneous-τ versions, the delayed-XOR models and fmnist-conv-dense", () => {
    expect(files).toEqual(["delayed-xor-alif-learn.json", "delayed-xor-alif.json", "delayed-xor-lif.json", "delayed-xor-tau.json", "fmnist-conv-dense.json", "fmnist-conv.json", "fmnist-deep.json", "fmnist.json", "nmnist-conv.json", "nmnist.json", "shd-alif.json", "shd-hetero.json", "shd-recurrent.json", "shd.json", "tiny.json"]);
  });

  it.each(files)("%s lowers, verifies, and ends in its readout", (file) => {
    const net = lower(file);
    expect(() => verifyNetwork(net)).not.toThrow();
    expect(net.layers.at(-1)!.kind).toBe("readout");
    expect(net.classes).toBe(net.layers.at(-1)!.nOut);
    expect(net.specHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("resolves α = exp(−Δt/τ) to 0.904837418 for τ 10 ms, Δt 1 ms (F-MNIST, N-MNIST)", () => {
    for (const file of ["fmnist.json", "nmnist.json", "fmnist-deep.json"]) {
      const net = lower(file);
      for (const l of dense(net)) expect(sig9(l.neuron.alpha)).toBe(0.904837418);
      expect(sig9(readout(net).alpha)).toBe(0.904837418);
    }
  });

  it("resolves SHD's α with Δt 2 ms: hidden exp(−2/10) = 0.818730753, readout exp(−2/20) = 0.904837418", () => {
    const net = lower("shd.json");
    expect(net.dtMs).toBe(2);
    for (const l of dense(net)) expect(sig9(l.neuron.alpha)).toBe(0.818730753);
    expect(readout(net).tauMs).toBe(20);
    expect(sig9(readout(net).alpha)).toBe(0.904837418);
    expect(readout(net).logits).toBe("sum");
  });

  it("resolves the reset amount V_th − V_r and the rest of the LIF constants", () => {
    for (const l of dense(lower("nmnist.json")))
      expect(l.neuron).toEqual({ model: "lif", tauMs: 10, alpha: Math.exp(-0.1), leak: true, reset: "subtract", vTh: 1, vReset: 0, vRest: 0, resetAmount: 1, bTh: 0.2, beta: 100 });
    // fmnist trains with a wider surrogate (its recipe: β 10).
    for (const l of dense(lower("fmnist.json"))) expect(l.neuron).toMatchObject({ alpha: Math.exp(-0.1), bTh: 0.2, beta: 10 });
    const tiny = lower("tiny.json");
    for (const l of dense(tiny)) {
      expect(l.neuron.resetAmount).toBe(1);
      expect(l.neuron.bTh).toBe(0.3); // the top-level neuron override
    }
    // A per-layer override wins over the top-level one, and the reset follows it.
    const spec = loadSpecOrThrow(join(MODELS, "tiny.json")).raw as NetworkSpec;
    spec.layers[0] = { kind: "dense", size: 8, neuron: { v_th: 1.5, v_reset: 0.25 } };
    const net = lowerSpec(resolveSpec(spec));
    expect(dense(net)[0].neuron.resetAmount).toBe(1.25);
    expect(dense(net)[1].neuron.resetAmount).toBe(1);
  });

  it("scales the readout input by 1 − α in every shipped model except tiny", () => {
    for (const file of ["fmnist.json", "nmnist.json", "shd.json", "fmnist-conv.json", "fmnist-deep.json"]) {
      const ro = readout(lower(file));
      expect(ro.inputScaleMode).toBe("one_minus_alpha");
      expect(ro.inputScale).toBe(1 - ro.alpha);
    }
    expect(sig9(readout(lower("fmnist.json")).inputScale)).toBe(0.0951625820);
    expect(sig9(readout(lower("shd.json")).inputScale)).toBe(0.0951625820);
    expect(readout(lower("tiny.json")).inputScale).toBe(1);
  });

  it("resolves init bounds: F-MNIST N(0, 1.9032516/√784), uniform scale 1 → 1/√fan_in", () => {
    const fm = lower("fmnist.json");
    const w1 = dense(fm)[0].weights[0];
    expect(w1.init).toEqual({ distribution: "normal", scale: 1.9032516, fanIn: 784, bound: 1.9032516 / 28 });
    expect(sig9(w1.init.bound)).toBe(0.0679732714);
    expect(dense(fm)[1].weights[0].init.bound).toBeCloseTo(1.9032516 / Math.sqrt(200), 15);
    // The reference's σ = 20(1 − α)/√fan_in: the shipped scale is 20(1 − α) to 8 digits.
    expect(w1.init.scale).toBeCloseTo(20 * (1 - Math.exp(-0.1)), 7);

    // fmnist without its init field: the default U(−1/√784, +1/√784).
    const spec = loadSpecOrThrow(join(MODELS, "fmnist.json")).raw as NetworkSpec;
    delete spec.init;
    const plain = lowerSpec(resolveSpec(spec));
    expect(dense(plain)[0].weights[0].init).toEqual({ distribution: "uniform", scale: 1, fanIn: 784, bound: 1 / 28 });

    expect(dense(lower("nmnist.json"))[0].weights[0].init.bound).toBe(1 / 34);
    expect(dense(lower("shd.json"))[0].weights[0].init.bound).toBe(1 / Math.sqrt(700));
  });

  it("gives weights [nIn, nOut] for dense and readout layers", () => {
    const net = lower("fmnist.json");
    expect(net.layers.map((l) => ("weights" in l ? [l.weights[0].name, l.weights[0].shape, l.weights[0].size] : null))).toEqual([
      ["w1", [784, 200], 156800],
      ["w2", [200, 200], 40000],
      ["w3", [200, 10], 2000],
    ]);
  });

  it("lowers fmnist-conv: [1,28,28] → conv [64,28,28] → pool [64,14,14] → flatten [12544] → readout [10]", () => {
    const net = lower("fmnist-conv.json");
    expect(net.input.shape).toEqual([1, 28, 28]);
    const shapes = net.layers.map((l: Layer) => [l.kind, l.inShape, l.outShape]);
    expect(shapes).toEqual([
      ["conv", [1, 28, 28], [64, 28, 28]],
      ["maxpool", [64, 28, 28], [64, 14, 14]],
      ["flatten", [64, 14, 14], [12544]],
      ["readout", [12544], [10]],
    ]);
    const conv = net.layers[0];
    if (conv.kind !== "conv") throw new Error("expected conv");
    expect([conv.filters, conv.kernel, conv.stride, conv.padding]).toEqual([64, 3, 1, 1]);
    expect(conv.weights[0].shape).toEqual([64, 1, 3, 3]);
    expect(conv.weights[0].init.fanIn).toBe(9);
    expect(net.layers[3].nIn).toBe(12544);
  });

  it("lowers fmnist-deep to 5 hidden layers of 300", () => {
    const net = lower("fmnist-deep.json");
    expect(dense(net).map((l) => l.nOut)).toEqual([300, 300, 300, 300, 300]);
    expect(dense(net).map((l) => l.nIn)).toEqual([784, 300, 300, 300, 300]);
    expect(net.classes).toBe(10);
  });

  it("carries steps, input, loss and training through", () => {
    const shd = lower("shd.json");
    expect([shd.steps, shd.input.size, shd.input.encoding, shd.input.dataset]).toEqual([500, 700, { kind: "events", binMs: 2 }, "shd"]);
    const fm = lower("fmnist.json");
    expect(fm.input.encoding).toEqual({ kind: "latency", tauEffMs: 20, tauEffSteps: 20, theta: 0.2 });
    expect(fm.loss).toEqual({ activityLow: { lambda: 100, nu: 0.001 }, activityUp: { lambda: 0.06, nu: 1 } });
    expect(fm.training).toEqual({
      batch: 256,
      epochs: 40,
      adam: { lr: 0.006, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      weightDecay: 0,
      clipGradNorm: null,
      schedule: { kind: "one_cycle", pct_start: 0.3, div_factor: 25, final_div_factor: 10000 },
      validation: 0.1,
      earlyStop: null,
      augment: { translate: 1, flip: true },
      backward: "sparse",
      seed: 0,
      activeCapacity: 0.05,
    });
  });
});
