// The random sum-pool conv specs both backends are checked on: the CPU backend against the float64
// reference (test/backends/cpu-numerics-pool.test.ts), the CUDA backend's nvcc compile check
// (test/backends/cuda-compile.test.ts) and the GPU check (scripts/gpu: CUDA against the CPU backend
// and the reference, at the same seeds). [name, seed, options of randomConvSpec].

import type { ConvSpecOptions } from "./random-spec.ts";

export const SUMPOOL_SPECS: [string, number, ConvSpecOptions][] = [
  ["conv → sum-pool 2 → readout", 101, { sumpool: true, channels: 2 }],
  ["conv → sum-pool 2 → readout, 3 input channels", 122, { sumpool: true, channels: 3 }],
  ["conv → sum-pool 3 → conv 1×1", 103, { sumpool: true, secondConv: true, channels: 2 }],
  ["conv → sum-pool 2 → conv 2×2 s1 p0", 114, { sumpool: true, secondConv: true, channels: 2 }],
  ["conv → sum-pool 2 → conv 2×2 s2 p0", 104, { sumpool: true, secondConv: true, channels: 2 }],
  ["conv → sum-pool → flatten → dense", 125, { sumpool: true, dense: true, channels: 2 }],
  ["sum-pool on the input events → conv", 106, { sumpool: true, inputPool: true, channels: 2 }],
  ["conv → sum-pool 2 → sum-pool 2", 117, { sumpool: true, chain: true, channels: 2 }],
  ["conv → max-pool → sum-pool → dense", 108, { sumpool: true, maxThenSum: true, dense: true, channels: 2 }],
  ["conv → sum-pool → conv → sum-pool → dense (the N-MNIST CNN's shape)", 109, { sumpool: true, secondConv: true, poolAfterSecond: true, dense: true, channels: 2 }],
];

/** A conv above a chain of sum-pools (one window of SCALE = 4 on the raw grid, with padding and
 * uncovered rows) and above a max-pool → sum-pool: the shapes the CUDA conv's raw-rectangle gather
 * (templates/cuda/partials/conv-pooled-gather.hbs) handles beyond SUMPOOL_SPECS. */
export const SUMPOOL_GATHER_SPECS: [string, number, ConvSpecOptions][] = [
  ["conv → sum-pool 2 → sum-pool 2 → conv 2×2 s1 p1", 141, { sumpool: true, chain: true, secondConv: true, channels: 2 }],
  ["conv → sum-pool 2 → sum-pool 2 → conv 1×1 s2 (two pooled rows)", 135, { sumpool: true, chain: true, secondConv: true, channels: 2 }],
  ["conv → max-pool → sum-pool → conv 2×2 s2 p1", 133, { sumpool: true, maxThenSum: true, secondConv: true, channels: 2 }],
];
