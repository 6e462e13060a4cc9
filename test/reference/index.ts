// The float64 oracle the generated kernels are tested against (docs/design.md §2). Clear, slow, and
// sharing no code with the kernels. Supports dense (optionally recurrent) and conv LIF layers,
// max-pool, sum-pool and flatten, followed by one readout (membrane or spiking, the latter
// optionally recurrent).

export { referenceForward } from "./forward.ts";
export type { RefForward, RefLayerTrace } from "./forward.ts";
export { referenceBackward } from "./backward.ts";
export type { RefBackward } from "./backward.ts";
export { referenceMargins } from "./margins.ts";
export type { RefMargins } from "./margins.ts";
export { referenceAdam } from "./adam.ts";
export {
  activityLow,
  activityLowGrad,
  activityUp,
  activityUpGrad,
  logSumExp,
  sampleCrossEntropy,
  sampleCrossEntropyGrad,
  softmax,
} from "./loss.ts";
export type { Penalty } from "./loss.ts";
export { chw, convTaps, denseInput, poolWinner, refLayers, surrogate } from "./network.ts";
