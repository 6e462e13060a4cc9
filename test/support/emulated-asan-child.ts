// Child process of test/backends/cuda-emulated-asan.test.ts, started with libasan preloaded (an
// AddressSanitizer addon loads only into such a process): runs one case's emulated CUDA addon
// against the CPU backend and prints one line of JSON. An out-of-bounds access stops it first with
// AddressSanitizer's report on stderr.
//   node --import tsx test/support/emulated-asan-child.ts <job.json>
// job.json: { spec (a spec or a spec file), cuda, cpu (addon paths), seed, density, batch, dense, steps }

import { readFileSync } from "node:fs";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { loadAddon } from "../../runtime/model/native.ts";
import { stepLaunchCheck } from "../../scripts/gpu/step-launch-check.ts";
import { cudaVsCpu } from "../backends/cuda-vs-cpu.ts";
import { networkOf } from "./build-model.ts";

interface Job {
  spec: NetworkSpec | string;
  cuda: string;
  cpu: string;
  seed: number;
  density: number;
  batch: number;
  dense: boolean;
  steps: boolean;
}

const job = JSON.parse(readFileSync(process.argv[2], "utf8")) as Job;
const net = networkOf(job.spec);
const cuda = loadAddon(job.cuda);
const cpu = loadAddon(job.cpu);
const result = job.steps ? stepLaunchCheck(net, cuda, cpu, job.seed, job.density, true) : cudaVsCpu(net, cuda, cpu, job.seed, job.density, job.batch, job.dense);
console.log(JSON.stringify(result));
