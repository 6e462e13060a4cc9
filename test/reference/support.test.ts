import { tauValue } from "../../compiler/spec/tau.ts";
import { describe, expect, it } from "vitest";
import type { DenseLayerSpec, NetworkSpec, NeuronParams, ReadoutLayerSpec } from "../../compiler/spec/types.ts";
import {
  calibratedWeights,
  findTieFreeInputs,
  firingRates,
  mixSeed,
  randomBatch,
  randomWeights,
  tieFreeCase,
} from "../support/random-data.ts";
import { RANDOM_SPEC_RANGES as R, randomSpec } from "../support/random-spec.ts";
import { networkFromSpec, weightSizes } from "./helpers.ts";
import { referenceForward, referenceMargins } from "./index.ts";

const within = (x: number, [lo, hi]: readonly [number, number]) => x >= lo && x <= hi;

function checkNeuron(n: NeuronParams, path: string): void {
  const fail = (what: string) => {
    throw new Error(`${path}: ${what} out of range: ${JSON.stringify(n)}`);
  };
  if (!within(tauValue(n.tau_ms), R.tauMs)) fail("tau_ms");
  if (!within(n.v_th, R.vTh)) fail("v_th");
  if (!(n.v_reset >= 0 && n.v_reset <= n.v_th / 2)) fail("v_reset");
  if (!within(n.v_rest, R.vRest)) fail("v_rest");
  if (!within(n.b_th, R.bTh)) fail("b_th");
  if (!within(n.surrogate_beta, R.beta)) fail("surrogate_beta");
}

describe("randomSpec", () => {
  const specs: NetworkSpec[] = Array.from({ length: 300 }, (_, seed) => randomSpec(seed));

  it("is deterministic per seed and differs between seeds", () => {
    expect(randomSpec(42)).toEqual(randomSpec(42));
    expect(JSON.stringify(randomSpec(42))).not.toBe(JSON.stringify(randomSpec(43)));
    expect(new Set(specs.map((s) => JSON.stringify({ ...s, name: "", description: "", training: {} }))).size).toBe(300);
  });

  it("keeps every field within its range", () => {
    specs.forEach((s, seed) => {
      expect(s.name).toBe(`random-${seed}`);
      expect(Number.isInteger(s.time.steps) && within(s.time.steps, R.steps)).toBe(true);
      expect(within(s.time.dt_ms, R.dtMs)).toBe(true);
      expect(s.input.shape.length).toBe(1);
      expect(Number.isInteger(s.input.shape[0]) && within(s.input.shape[0], R.inputs)).toBe(true);
      expect(s.input.encoding).toEqual({ kind: "events", bin_ms: s.time.dt_ms });
      expect(s.input.dataset).toBe("synthetic");
      checkNeuron(s.neuron as NeuronParams, `${s.name} /neuron`);

      const hidden = s.layers.slice(0, -1) as DenseLayerSpec[];
      const readout = s.layers[s.layers.length - 1] as ReadoutLayerSpec;
      expect(within(hidden.length, R.depth)).toBe(true);
      hidden.forEach((l, k) => {
        expect(l.kind).toBe("dense");
        expect(Number.isInteger(l.size) && (within(l.size, R.size) || within(l.size, R.largeSize))).toBe(true);
        // layer overrides merged over the global neuron stay valid
        checkNeuron({ ...(s.neuron as NeuronParams), ...l.neuron }, `${s.name} /layers/${k}`);
      });
      expect(readout.kind).toBe("readout");
      expect(Number.isInteger(readout.size) && within(readout.size, R.classes)).toBe(true);
      expect(["max", "sum"]).toContain(readout.logits);
      expect(["one", "one_minus_alpha"]).toContain(readout.input_scale);
      expect(within(readout.tau_ms!, R.tauMs)).toBe(true);
      expect(within(readout.v_rest!, R.vRest)).toBe(true);

      const { activity_low: low, activity_up: up } = s.loss!;
      expect(within(low!.lambda, R.lambdaLow) && within(low!.nu, R.nuLow)).toBe(true);
      expect(within(up!.lambda, R.lambdaUp) && within(up!.nu, R.nuUp)).toBe(true);

      expect(Number.isInteger(s.training.batch) && within(s.training.batch, R.batch)).toBe(true);
      expect(s.training.epochs).toBe(1);
      expect(s.training.optimizer).toEqual({ kind: "adam", lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8 });
    });
  });

  it("covers the interesting cases", () => {
    const sizes = specs.flatMap((s) => (s.layers.slice(0, -1) as DenseLayerSpec[]).map((l) => l.size));
    const depths = new Set(specs.map((s) => s.layers.length - 1));
    expect(depths).toEqual(new Set([1, 2, 3]));
    expect(sizes.some((n) => n === 1)).toBe(true);
    expect(sizes.some((n) => n === 32)).toBe(true);
    expect(sizes.filter((n) => n % 32 !== 0).length).toBeGreaterThan(sizes.length * 0.9);
    expect(sizes.filter((n) => n > 40).length).toBeGreaterThan(20);
    const readouts = specs.map((s) => s.layers[s.layers.length - 1] as ReadoutLayerSpec);
    expect(new Set(readouts.map((r) => r.logits))).toEqual(new Set(["max", "sum"]));
    expect(new Set(readouts.map((r) => r.input_scale))).toEqual(new Set(["one", "one_minus_alpha"]));
    const overrides = specs.flatMap((s) => (s.layers.slice(0, -1) as DenseLayerSpec[]).map((l) => l.neuron));
    expect(overrides.some((o) => o && Object.keys(o).length === 1)).toBe(true); // τ only
    expect(overrides.some((o) => o && Object.keys(o).length === 6)).toBe(true); // a full set
    expect(overrides.some((o) => o === undefined)).toBe(true);
    expect(specs.filter((s) => s.loss!.activity_up!.nu <= R.nuUpSmall[1]).length).toBeGreaterThan(200);
    expect(specs.some((s) => s.loss!.activity_up!.nu > R.nuUpSmall[1])).toBe(true);
    expect(new Set(specs.map((s) => s.training.batch)).size).toBe(9);
  });

  it("lowers (test-only networkFromSpec) with α = exp(−Δt/τ) and per-layer overrides", () => {
    const s = specs.find((x) => (x.layers[0] as DenseLayerSpec).neuron?.tau_ms !== undefined)!;
    const net = networkFromSpec(s);
    const l1 = net.layers[0];
    if (l1.kind !== "dense") throw new Error("expected dense");
    const tau = tauValue((s.layers[0] as DenseLayerSpec).neuron!.tau_ms!);
    expect(l1.neuron.alpha).toBe(Math.exp(-s.time.dt_ms / tau));
    expect(l1.neuron.resetAmount).toBe(l1.neuron.vTh - l1.neuron.vReset);
    const ro = net.layers[net.layers.length - 1];
    if (ro.kind !== "readout") throw new Error("expected readout");
    expect(ro.inputScale).toBe(ro.inputScaleMode === "one" ? 1 : 1 - ro.alpha);
  });
});

describe("random data", () => {
  it("randomBatch is deterministic, in range, at about the requested density", () => {
    const a = randomBatch(30, 50, 6, 4, 0.2, 7);
    expect(randomBatch(30, 50, 6, 4, 0.2, 7)).toEqual(a);
    expect(randomBatch(30, 50, 6, 4, 0.2, 8)).not.toEqual(a);
    expect(a.offsets.length).toBe(6 * 30 + 1);
    expect(a.indices.every((i) => i < 50)).toBe(true);
    expect(a.labels.every((y) => y >= 0 && y < 4)).toBe(true);
    expect(a.indices.length / (6 * 30 * 50)).toBeGreaterThan(0.17);
    expect(a.indices.length / (6 * 30 * 50)).toBeLessThan(0.23);
  });

  it("randomWeights is deterministic with the documented bound", () => {
    const sizes = [{ nIn: 9, nOut: 5 }, { nIn: 5, nOut: 3 }];
    const w = randomWeights(sizes, 2, 3);
    expect(randomWeights(sizes, 2, 3)).toEqual(w);
    expect(w.map((x) => x.length)).toEqual([45, 15]);
    w.forEach((x, k) => {
      const r = 2 / Math.sqrt(sizes[k].nIn);
      expect(x.every((v) => v >= -0.5 * r && v <= 1.5 * r)).toBe(true);
    });
    expect(w[0].filter((v) => v > 0).length).toBeGreaterThan(w[0].length / 2);
  });

  it("calibratedWeights make hidden layers fire at a moderate rate", () => {
    let ok = 0;
    let layers = 0;
    for (let seed = 0; seed < 20; seed++) {
      const net = networkFromSpec(randomSpec(seed));
      const probe = randomBatch(net.steps, net.input.size, 4, net.classes, 0.2, seed);
      const w = calibratedWeights(net, probe, seed);
      expect(w.map((x) => x.length)).toEqual(weightSizes(net).map((s) => s.nIn * s.nOut));
      const rates = firingRates(net, referenceForward(net, w, probe));
      layers += rates.length;
      ok += rates.filter((r) => r >= 0.05 && r <= 0.35).length;
    }
    expect(ok).toBeGreaterThanOrEqual(layers * 0.85);
  });

  it("tieFreeCase finds inputs clear of every float32 flip point", () => {
    for (let seed = 0; seed < 15; seed++) {
      const net = networkFromSpec(randomSpec(seed));
      const c = tieFreeCase(net, seed);
      expect(c.batch.batch).toBe(net.training.batch);
      expect(c.margins.threshold).toBeGreaterThan(1e-4);
      expect(c.margins.band).toBeGreaterThan(1e-4);
      expect(c.margins.argmaxGap).toBeGreaterThan(1e-4);
      expect(c.fwd).toEqual(referenceForward(net, c.weights, c.batch));
      expect(c.margins).toEqual(referenceMargins(net, c.fwd));
    }
  });

  it("findTieFreeInputs retries seeds and gives up with a message", () => {
    const found = findTieFreeInputs(
      (seed) => seed,
      (seed) => ({ threshold: seed >= 3 ? 1 : 0, band: 1 }),
      { firstSeed: 0 },
    );
    expect(found).toMatchObject({ value: 3, seed: 3, tries: 4 });
    expect(() => findTieFreeInputs((s) => s, () => ({ threshold: 1, band: 1, argmaxGap: 0 }), { maxTries: 5 })).toThrow(
      /no tie-free inputs in 5 tries/,
    );
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
  });
});
