// The addon's interface (its one definition: the emitted model.ts re-exports it) and loading a
// built addon. A `.node` file cannot be imported under Vite or ESM, so it is loaded with
// createRequire; a load failure becomes one sentence naming the file.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface NativeModel {
  loadBatch(offsets: Uint32Array, indices: Uint32Array, labels: Int32Array): void;
  forward(): Float64Array;
  backward(): void;
  adamStep(stepSize: number, epsHat: number): void;
  trainStep(stepSize: number, epsHat: number): Float64Array;
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
  info: { name: string; specHash: string; backend: "cpu" | "cuda"; steps: number; inputs: number; classes: number };
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
