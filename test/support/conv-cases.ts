// The random conv specs the CUDA backend is checked on: the nvcc compile test here, and the GPU
// check (scripts/gpu) against the CPU backend. Between them: pool and no pool, stride 1–2,
// padding 0–1 (randomConvSpec draws them per seed), conv → pool → conv, dense after flatten.

import { randomConvSpec } from "./random-spec.ts";

type ConvOpts = NonNullable<Parameters<typeof randomConvSpec>[1]>;

export const GPU_CHECK_CONV_SPECS: [name: string, seed: number, opts: ConvOpts][] = [
  ...Array.from({ length: 8 }, (_, k): [string, number, ConvOpts] => [`random-conv-${k + 1}`, k + 1, { pool: k % 2 === 0 }]),
  ["random-conv-9-dense", 9, { pool: true, dense: true }],
  ["random-conv-10-conv2", 10, { pool: true, secondConv: true }],
  ["random-conv-11-conv2", 11, { pool: false, secondConv: true }],
  ["random-conv-12-dense", 12, { pool: false, dense: true }],
];
