// The addon's interface (its one definition: the emitted model.ts re-exports it) and loading a
// built addon. A `.node` file cannot be imported under Vite or ESM, so it is loaded with
// createRequire; a load failure becomes one sentence naming the file.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface NativeModel {
  /** `checked`: every index is already known to be below the input count (a batch from packBatch,
   *  runtime/data/spike-batch.ts), so the addon skips its walk over every event. */
  loadBatch(offsets: Uint32Array, indices: Uint32Array, labels: Int32Array, checked?: boolean): void;
  forward(): Float64Array;
  backward(): void;
  /** `decay`: AdamW's 1 − lr·λ (1 for plain Adam). */
  adamStep(stepSize: number, epsHat: number, decay: number): void;
  /** With a next batch: then loads it, as loadBatch would (an overlapUpload build uploads it while
   *  the step runs). */
  trainStep(
    stepSize: number,
    epsHat: number,
    decay: number,
    nextOffsets?: Uint32Array,
    nextIndices?: Uint32Array,
    nextLabels?: Int32Array,
    nextChecked?: boolean,
  ): Float64Array;
  /** Loads so far that had every event index checked by the addon (the unchecked batches). */
  indexChecks(): number;
  /** Step graphs captured so far (builds with stepGraph only). */
  graphCaptures?(): number;
  /** The loss averages over this many samples instead of the loaded batch (0: the loaded batch). */
  setLossBatch(samples: number): void;
  /** Where every weight gradient lies, one tensor after another: a host address on the CPU
   *  backend, a device address on CUDA. */
  gradientArena(): { address: bigint; floats: number; device: boolean };
  /** The whole gradient arena to or from host memory (a Float32Array of `floats`), one copy. */
  readGradients(host: Float32Array): void;
  writeGradients(host: Float32Array): void;
  zeroGradients(): void;
  getTensor(name: string): ArrayBuffer;
  setTensor(name: string, data: ArrayBufferView): void;
  bufferBytes(): number;
  /** Time every kernel of the following calls; kernelTimes() reads the last run's. */
  profile(on: boolean): void;
  kernelTimes(): [string, number][];
  dispose(): void;
}

export interface NativeOptions {
  batch: number;
  backward: "sparse" | "dense";
  recordV: boolean;
  /** Initial active-set entries per sample of each LIF layer, in layer order (the plan's activeEntries). */
  activeEntries: number[];
}

export interface NativeAddon {
  Model: new (opts: NativeOptions) => NativeModel;
  info: {
    name: string;
    specHash: string;
    backend: "cpu" | "cuda";
    steps: number;
    inputs: number;
    classes: number;
    /** The plan's step launch options (compiler/plan/plan-options.ts); absent in older builds. */
    stepGraph?: boolean;
    overlapUpload?: boolean;
  };
  /** GB/s the kernels' threads read together, each from its own buffer of `bytes` (sized for one
   *  cache level), over `reps` passes; −1 on a backend without the probe (CUDA); absent in older
   *  builds. The cache roof of `snnc bench`'s roofline. */
  probeReadBandwidth?: (bytes: number, reps: number) => number;
}

export class AddonLoadError extends Error {
  override readonly name = "AddonLoadError";
}

export function loadAddon(path: string): NativeAddon {
  try {
    return require(path) as NativeAddon;
  } catch (e) {
    throw new AddonLoadError(`cannot load the compiled model ${path}: ${(e as Error).message.split("\n")[0]}`);
  }
}
