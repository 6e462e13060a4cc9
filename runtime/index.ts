// snnc as a library, for users who script their own loops: open a spec on a backend (compiling
// and building it when the cached build is stale), the model, data sets, the trainer and
// checkpoints. `import { openNetwork, loadDataset, Trainer } from "snnc"` runs this file compiled to
// dist/runtime/index.js (npm run build; tsconfig.build.json), so plain node needs no loader.
// docs/library.md shows a loop and lists what is exported here.

// Open a spec: compile, build if needed, load the addon.
export { openNetwork, openLoweredNetwork, chooseBackend, gpuPresent, type OpenOptions, type OpenedNetwork, type BackendChoice } from "./model/open-model.ts";
// The model: forward / backward / step, weights, spikes, membranes.
export { SnnModel, ModelError, type ModelOptions } from "./model/snn-model.ts";
export type { StepStats, LayerActivity } from "./model/step-stats.ts";
export type { NativeAddon, NativeModel, NativeOptions } from "./model/native.ts";
// Data sets and batches.
export { loadDataset, DATASET_NAMES, DataError, BatchArrays, packBatch, epochBatches, type DatasetName, type LoadOptions, type LoadedDataset, type SpikeBatch, type SpikeDataset, type SpikeSample } from "./data/index.ts";
// The train and test splits a spec names, shaped for its network.
export { loadNetworkData } from "./train/data.ts";
// Training: epochs, evaluation, running sums.
export { Trainer, NonFiniteError, type TrainerOptions, type BatchInfo, type EpochRun } from "./train/trainer.ts";
export type { SplitSummary, LayerSummary } from "./train/stats.ts";
// Data-parallel training over the ranks of an MPI job (mpirun, srun): joinWorld() is SOLO outside
// one; pass it as the Trainer's `world` and create the model with room for shardCapacity(batch, size).
export { joinWorld, SOLO, MpiError, type World, type WorldInfo } from "./mpi/world.ts";
export { shardCapacity, shardRange } from "./mpi/data-parallel.ts";
// Checkpoints (safetensors).
export { saveCheckpoint, loadCheckpoint, restoreCheckpoint, CheckpointError, type Checkpoint, type CheckpointMeta } from "./checkpoint/checkpoint.ts";
// The compiler's front half, for tools: a spec file → the Network IR → the kernel plan.
export { loadNetwork, compileSpec, compileNetwork } from "../compiler/pipeline.ts";
export { buildPlan, PlanError } from "../compiler/plan/build-plan.ts";
export type { Network, Layer, WeightTensor } from "../compiler/ir/types.ts";
export type { Plan, Stage } from "../compiler/plan/types.ts";
