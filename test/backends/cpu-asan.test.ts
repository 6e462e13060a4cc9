// The CPU backend under AddressSanitizer (test/backends/asan.ts): over training steps, sparse and
// dense, with a batch smaller than the model's in between and a first active set too small (so it
// grows), no kernel reads or writes outside a buffer, and the losses are those of the plain build.
// The specs cover conv, max-pool, sum-pool, dense, recurrent and readout layers with every neuron
// option, per-neuron trained τ and trained ALIF adaptation.

import { expect, it } from "vitest";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { ALIF_LEARN_SPECS } from "../support/alif-learn-specs.ts";
import { NEURON_SPECS } from "../support/neuron-specs.ts";
import { randomConvSpec } from "../support/random-spec.ts";
import { RECURRENT_NEURON_SPECS } from "../support/recurrent-neuron-specs.ts";
import { SUMPOOL_GATHER_SPECS, SUMPOOL_SPECS } from "../support/sumpool-cases.ts";
import { TAU_SPECS } from "../support/tau-specs.ts";
import { checkCpuUnderAsan, describeAsan } from "./asan.ts";

const named = <T extends { name: string }>(list: T[], prefix: string): T => list.find((c) => c.name.startsWith(prefix)) ?? expect.fail(`no case ${prefix}`);
const sumpool = [...SUMPOOL_SPECS, ...SUMPOOL_GATHER_SPECS].find(([, seed]) => seed === 108)!;
const everything = named(NEURON_SPECS, "conv → pool → conv, everything");
const recurrent = named(RECURRENT_NEURON_SPECS, "everything:");

const CASES: { name: string; spec: () => NetworkSpec | string; seed: number; density: number }[] = [
  { name: "fmnist-conv (conv, max-pool, readout)", spec: () => "models/fmnist-conv.json", seed: 7, density: 0.1 },
  { name: everything.name, spec: everything.spec, seed: everything.seed, density: 0.5 },
  { name: `random sum-pool spec 108 (${sumpool[0]})`, spec: () => randomConvSpec(108, sumpool[2]), seed: 108, density: 0.5 },
  { name: recurrent.name, spec: recurrent.spec, seed: recurrent.seed, density: 0.2 },
  { name: TAU_SPECS[0].name, spec: TAU_SPECS[0].spec, seed: TAU_SPECS[0].seed, density: 0.2 },
  { name: ALIF_LEARN_SPECS[1].name, spec: ALIF_LEARN_SPECS[1].spec, seed: ALIF_LEARN_SPECS[1].seed, density: 0.2 },
];

describeAsan("the CPU backend under AddressSanitizer: no access outside a buffer", () => {
  for (const c of CASES) it(c.name, () => checkCpuUnderAsan(c.spec(), c.seed, c.density), 600_000);
});
