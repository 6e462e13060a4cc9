// Public API of compiler/spec: load and validate a network spec, fill its defaults, infer shapes.

export type * from "./types.ts";
export { checkSpecText, loadSpecFile, loadSpecOrThrow, type SpecResult } from "./validate.ts";
export { formatProblem, SpecError, type SpecProblem } from "./problem.ts";
export {
  DEFAULT_CONV,
  DEFAULT_DATASET,
  DEFAULT_DESCRIPTION,
  DEFAULT_INIT,
  DEFAULT_NEURON,
  DEFAULT_READOUT,
  DEFAULT_TRAINING,
  PENALTY_OFF,
  resolveInit,
  resolveNeuron,
  resolveSpec,
} from "./defaults.ts";
export {
  canonicalShape,
  checkShapes,
  formatShape,
  inferShapes,
  shapeSize,
  type LayerShapes,
  type Shape,
  type ShapeCheck,
  type ShapeLayer,
  type ShapeProblem,
} from "./shapes.ts";
export { MAX_LAYER_NEURONS, MAX_STEPS, MAX_TOTAL_WEIGHTS } from "./limits.ts";
export { DATASETS, polarityChannels, type DatasetFacts } from "./datasets.ts";
export { specSchema } from "./schema-check.ts";
