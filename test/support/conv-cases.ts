// The random conv specs the CUDA backend is checked on: the nvcc compile test here, and the GPU
// check (scripts/gpu) against the CPU backend and the float64 reference. Between them: pool and
// no pool, stride 1–2, padding 0–1 (randomConvSpec draws them per seed), conv → pool → conv, dense
// after the flatten, and two larger ones: layers of several 512-neuron chunks (not a multiple of
// 32), and a conv whose W is too large for shared memory (the kernels' global-memory path).

import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { randomConvSpec } from "./random-spec.ts";

type ConvOpts = NonNullable<Parameters<typeof randomConvSpec>[1]>;

function spec(seed: number, opts: ConvOpts): () => NetworkSpec {
  return () => randomConvSpec(seed, opts);
}

/** randomConvSpec with a larger input and conv layers resized (filters, in layer order). */
function larger(seed: number, opts: ConvOpts, name: string, shape: number[], filters: number[]): () => NetworkSpec {
  return () => {
    const s = randomConvSpec(seed, opts);
    s.name = name;
    s.input.shape = shape;
    let k = 0;
    s.layers = s.layers.map((l) => (l.kind === "conv" ? { ...l, filters: filters[k++], kernel: 3, padding: 1 } : l));
    return s;
  };
}

/** [name, spec, whether it is also compared with the float64 reference]: the two larger ones have
 * so many neurons that no random input keeps every membrane clear of the threshold (a tie the
 * float32 kernels and the float64 reference may break apart), so they are compared with the CPU
 * backend only, which rounds exactly as the CUDA kernels do. */
export const GPU_CHECK_CONV_SPECS: [name: string, make: () => NetworkSpec, vsReference: boolean][] = [
  ...Array.from({ length: 8 }, (_, k): [string, () => NetworkSpec, boolean] => [`random-conv-${k + 1}`, spec(k + 1, { pool: k % 2 === 0 }), true]),
  ["random-conv-9-dense", spec(9, { pool: true, dense: true }), true],
  ["random-conv-10-conv2", spec(10, { pool: true, secondConv: true }), true],
  ["random-conv-11-conv2", spec(11, { pool: false, secondConv: true }), true],
  ["random-conv-12-dense", spec(12, { pool: false, dense: true }), true],
  // 5×21×19 = 1995 conv neurons (4 chunks, the last partial), pooled, then a second conv.
  ["random-conv-13-chunks", larger(13, { pool: true, secondConv: true }, "random-conv-13-chunks", [2, 21, 19], [5, 7]), false],
  // A second conv of 64 filters on 8 channels: W of 4608 floats, above the shared-memory limit.
  ["random-conv-14-wide-w", larger(14, { pool: true, secondConv: true }, "random-conv-14-wide-w", [1, 12, 12], [8, 64]), false],
];
