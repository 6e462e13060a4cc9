// τ against the time step (compiler/spec/check-decay.ts, issue 26 item 3): a τ whose α or α_syn
// rounds to 0 or 1 in float32 is a spec error with the pointer of the τ the layer takes it from,
// never the IR's "internal error"; `snnc validate` and `snnc train` both end with exit 2.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkSpecText, formatProblem } from "../../compiler/spec/index.ts";
import { float32Decay } from "../../compiler/spec/check-decay.ts";
import { baseSpec, spatialSpec, type Json } from "./base-spec.ts";

const FILE = "bad.json";

function problems(spec: Json): string[] {
  const r = checkSpecText(JSON.stringify(spec), FILE);
  return r.ok ? [] : r.problems.map(formatProblem);
}

function mutate(f: (s: Json) => void): Json {
  const s = baseSpec();
  f(s);
  return s;
}

const SECONDS = (ms: string, us: string) => `(τ and Δt are in milliseconds: ${ms} ms is ${us} µs, so a time written in seconds is 1000 times too small)`;

describe("a τ whose α rounds to 0 or 1 in float32", () => {
  const cases: { name: string; spec: Json; want: string[] }[] = [
    {
      name: "tau_ms in seconds on the top-level neuron: one problem for every layer that inherits it",
      spec: mutate((s) => (s.neuron = { tau_ms: 0.001 })),
      want: [
        `${FILE}: /neuron/tau_ms: tau_ms = 0.001 with time.dt_ms = 1 gives α = exp(−1/0.001), which rounds to 0 in float32: the membrane would forget everything at every step ${SECONDS("0.001", "1")}`,
      ],
    },
    {
      name: "a readout's own tau_ms in seconds",
      spec: mutate((s) => (s.layers[1].tau_ms = 1e-4)),
      want: [
        `${FILE}: /layers/1/tau_ms: tau_ms = 0.0001 with time.dt_ms = 1 gives α = exp(−1/0.0001), which rounds to 0 in float32: the membrane would forget everything at every step ${SECONDS("0.0001", "0.1")}`,
      ],
    },
    {
      name: "tau_syn_ms in seconds on the top-level neuron (the readout does not inherit it)",
      spec: mutate((s) => (s.neuron = { tau_syn_ms: 5e-4 })),
      want: [
        `${FILE}: /neuron/tau_syn_ms: tau_syn_ms = 0.0005 with time.dt_ms = 1 gives α_syn = exp(−1/0.0005), which rounds to 0 in float32: the synaptic current would forget everything at every step ${SECONDS("0.0005", "0.5")}`,
      ],
    },
    {
      name: "a layer's τ so long that α rounds to 1, and a readout's tau_syn_ms so long that α_syn does",
      spec: mutate((s) => {
        s.layers[0].neuron = { tau_ms: 1e9 };
        s.layers[1].tau_syn_ms = 1e12;
      }),
      want: [
        `${FILE}: /layers/0/neuron/tau_ms: tau_ms = 1000000000 with time.dt_ms = 1 gives α = exp(−1/1000000000), which rounds to 1 in float32: the membrane would never decay (τ is in milliseconds; for a neuron without leak write "leak": false)`,
        `${FILE}: /layers/1/tau_syn_ms: tau_syn_ms = 1000000000000 with time.dt_ms = 1 gives α_syn = exp(−1/1000000000000), which rounds to 1 in float32: the synaptic current would never decay (τ is in milliseconds; for no synaptic filter leave tau_syn_ms out)`,
      ],
    },
    {
      name: "a time step so long that the default τ gives α = 0: the pointer is dt_ms",
      spec: mutate((s) => {
        s.time.dt_ms = 1e5;
        s.input.encoding.bin_ms = 1e5;
      }),
      want: [
        `${FILE}: /time/dt_ms: with the default tau_ms of 10 ms, α = exp(−100000/10) rounds to 0 in float32: the membrane would forget everything at every step (Δt is in milliseconds; write tau_ms in the neuron when the default does not fit this step)`,
      ],
    },
    {
      name: "a spiking readout's neuron τ, and a conv layer's",
      spec: (() => {
        const s = spatialSpec([1, 4, 4], [
          { kind: "conv", filters: 2, kernel: 3, neuron: { tau_syn_ms: 1e-5 } },
          { kind: "flatten" },
          { kind: "readout", size: 2, spiking: true, neuron: { tau_ms: 1e-5 } },
        ]);
        return s;
      })(),
      want: [
        `${FILE}: /layers/0/neuron/tau_syn_ms: tau_syn_ms = 0.00001 with time.dt_ms = 1 gives α_syn = exp(−1/0.00001), which rounds to 0 in float32: the synaptic current would forget everything at every step ${SECONDS("0.00001", "0.01")}`,
        `${FILE}: /layers/2/neuron/tau_ms: tau_ms = 0.00001 with time.dt_ms = 1 gives α = exp(−1/0.00001), which rounds to 0 in float32: the membrane would forget everything at every step ${SECONDS("0.00001", "0.01")}`,
      ],
    },
  ];
  for (const { name, spec, want } of cases) it(name, () => expect(problems(spec)).toEqual(want));

  it("leaves a layer without leak alone (its α is 1 by design), but not the readout that uses the same τ", () => {
    const s = mutate((s) => (s.neuron = { leak: false, tau_ms: 1e-4 }));
    expect(problems(s)).toEqual([
      `${FILE}: /neuron/tau_ms: tau_ms = 0.0001 with time.dt_ms = 1 gives α = exp(−1/0.0001), which rounds to 0 in float32: the membrane would forget everything at every step ${SECONDS("0.0001", "0.1")}`,
    ]);
    s.layers[1].tau_ms = 20;
    expect(problems(s)).toEqual([]);
  });

  it("accepts the extremes float32 still tells from 0 and 1", () => {
    // exp(−x) is above float32's smallest subnormal (2^−149 ≈ 1.4e−45) up to x ≈ 103, and below
    // 1 − 2^−25 from x ≈ 3e−8 on.
    expect(float32Decay(100, 1).roundsTo).toBeNull();
    expect(float32Decay(105, 1).roundsTo).toBe(0);
    expect(float32Decay(1, 1e7).roundsTo).toBeNull();
    expect(float32Decay(1, 1e8).roundsTo).toBe(1);
    expect(problems(mutate((s) => (s.neuron = { tau_ms: 0.01, tau_syn_ms: 1e7 })))).toEqual([]);
  });
});

describe("snnc validate and snnc train on such a spec", () => {
  const tmp = mkdtempSync(join(tmpdir(), "snnc-decay-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const BIN = join(import.meta.dirname, "..", "..", "bin", "snnc.mjs");
  const spec = join(tmp, "seconds.json");
  writeFileSync(spec, JSON.stringify(mutate((s) => (s.neuron = { tau_ms: 0.001 }))));
  const line = `${spec}: /neuron/tau_ms: tau_ms = 0.001 with time.dt_ms = 1 gives α = exp(−1/0.001), which rounds to 0 in float32: the membrane would forget everything at every step ${SECONDS("0.001", "1")}\n`;

  for (const args of [["validate", spec], ["train", spec, "--backend", "cpu", "--out", join(tmp, "run")]])
    it(`snnc ${args[0]}: the pointer and the hint in one line, exit 2, no run folder`, () => {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, SNNC_DEBUG: "" } });
      expect(r.stderr).toBe(line);
      expect(r.status).toBe(2);
      expect(existsSync(join(tmp, "run"))).toBe(false);
    });
});
