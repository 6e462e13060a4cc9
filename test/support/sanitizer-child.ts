// Child process of the sanitizer tests (test/backends/sanitizer-run.ts): runs one case on a checked
// build and prints one line of JSON. The AddressSanitizer tests (test/backends/asan.ts) start it
// with libasan preloaded (an AddressSanitizer addon loads only into such a process); the racecheck
// tests (test/backends/racecheck.ts) as it is. A checked fault stops it first, with the report on
// stderr.
//   node --import tsx test/support/sanitizer-child.ts <job.json>
// job.json: { mode, spec (a spec or a spec file), addon (the checked build), reference
// (the CPU backend's plain build), seed, density, batch, dense }. Modes:
//   vs-cpu    the emulated CUDA addon against the CPU backend on one batch (cudaVsCpu)
//   steps     the same over 12 training steps of a --step-graph --overlap-upload build (stepLaunchCheck)
//   cpu-steps the CPU backend's AddressSanitizer build against its plain build over training steps:
//             sparse and dense, a smaller batch in between, a tiny first active set that must grow

import { readFileSync } from "node:fs";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { randomSpikeBatch } from "../../runtime/bench/synthetic-batch.ts";
import { loadAddon, type NativeAddon } from "../../runtime/model/native.ts";
import { SnnModel } from "../../runtime/model/snn-model.ts";
import { stepLaunchCheck } from "../../scripts/gpu/step-launch-check.ts";
import { cudaVsCpu } from "../backends/cuda-vs-cpu.ts";
import { networkOf } from "./build-model.ts";

export interface SanitizerJob {
  mode: "vs-cpu" | "steps" | "cpu-steps";
  spec: NetworkSpec | string;
  addon: string;
  reference: string;
  seed: number;
  density: number;
  batch: number;
  dense: boolean;
}

/** Both CPU builds trained alike from the same weights: the largest relative loss difference. */
function cpuSteps(net: Network, asan: NativeAddon, plain: NativeAddon, job: SanitizerJob) {
  const out = { steps: 0, lossError: 0, regrows: 0, finite: true };
  for (const backward of job.dense ? (["sparse", "dense"] as const) : (["sparse"] as const)) {
    const B = Math.min(job.batch, net.training.batch);
    const [a, p] = [asan, plain].map((addon) => new SnnModel(net, addon, { batch: B, backward, recordV: true, seed: job.seed, activeCapacity: 0.001 }));
    try {
      for (let k = 0; k < 4; k++) {
        const n = k === 2 ? Math.max(1, B - 3) : B;
        const batch = randomSpikeBatch(n, net.steps, net.input.size, net.classes, job.density, job.seed * 100 + k);
        const s = a.trainStep(batch, net.training.adam.lr);
        const r = p.trainStep(batch, net.training.adam.lr);
        out.steps++;
        out.regrows += s.regrows;
        out.finite &&= Number.isFinite(s.loss);
        out.lossError = Math.max(out.lossError, Math.abs(s.loss - r.loss) / Math.max(Math.abs(r.loss), 1e-12));
      }
    } finally {
      a.dispose();
      p.dispose();
    }
  }
  return out;
}

const job = JSON.parse(readFileSync(process.argv[2], "utf8")) as SanitizerJob;
const net = networkOf(job.spec);
const addon = loadAddon(job.addon);
const reference = loadAddon(job.reference);
const result =
  job.mode === "steps" ? stepLaunchCheck(net, addon, reference, job.seed, job.density, true)
  : job.mode === "cpu-steps" ? cpuSteps(net, addon, reference, job)
  : cudaVsCpu(net, addon, reference, job.seed, job.density, job.batch, job.dense);
console.log(JSON.stringify(result));
