// What each named dataset delivers, so a spec that cannot be fed by its dataset fails at
// validation rather than at the first training step. "synthetic" fits any shape.

import type { DatasetName } from "./types.ts";

export interface DatasetFacts {
  inputs: number;
  classes: number;
  encoding: "latency" | "events";
  /** Input shapes that give `inputs` neurons, as the user would write them. */
  shapes: string;
  /** The [C, H, W] shape that keeps event polarities apart as C channels, where the data has them. */
  channelShape?: [number, number, number];
  /** The fewest time steps the data needs, and why. */
  minSteps?: { steps: number; why: string };
}

export const DATASETS: Readonly<Record<Exclude<DatasetName, "synthetic">, DatasetFacts>> = {
  "fashion-mnist": { inputs: 784, classes: 10, encoding: "latency", shapes: "[784], [28, 28] or [1, 28, 28]" },
  // 34×34 sensor with the two polarities merged, or ([2, 34, 34]) as two channels: OFF then ON.
  nmnist: { inputs: 1156, classes: 10, encoding: "events", shapes: "[1156], [34, 34] or [1, 34, 34]", channelShape: [2, 34, 34] },
  shd: { inputs: 700, classes: 20, encoding: "events", shapes: "[700]" },
  // runtime/data/delayed-xor.ts (generated in memory): 20-step cue, a delay of ≥ 100, 20-step probe.
  "delayed-xor": { inputs: 20, classes: 2, encoding: "events", shapes: "[20]", minSteps: { steps: 141, why: "a 20-step cue, a delay of at least 100 steps and a 20-step probe, then the step whose input no update uses" } },
};

/** Whether a named dataset feeds this input shape with its polarities as channels (N-MNIST [2, 34, 34]). */
export function polarityChannels(name: DatasetName, shape: readonly number[]): boolean {
  const want = name === "synthetic" ? undefined : DATASETS[name].channelShape;
  return want !== undefined && shape.length === 3 && want.every((d, k) => shape[k] === d);
}
