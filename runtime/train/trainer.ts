// The training loop proper: one epoch of shuffled batches (the order is a pure function of seed
// and epoch, so a resumed run sees the same batches), each step at the schedule's learning rate for
// its position in the run, evaluation on the validation and test splits, and the checks that stop a
// run early (a non-finite loss, a Ctrl-C between batches). Files, progress display, checkpoints and
// model selection are the caller's (run-training.ts); this class only needs a model and datasets.
// Given an MPI world of several ranks it trains data-parallel (runtime/mpi/data-parallel.ts): each
// rank takes its share of every batch, and each rank runs this same loop.

import type { SpikingLayer } from "../../compiler/ir/types.ts";
import { spikingLayers } from "../../compiler/ir/layers.ts";
import { epochOrder } from "../data/batches.ts";
import { BatchArrays, packBatch, type SpikeBatch, type SpikeDataset, type SpikeSample } from "../data/spike-batch.ts";
import type { SnnModel } from "../model/snn-model.ts";
import type { StepStats } from "../model/step-stats.ts";
import { EvalBatches } from "./eval-batches.ts";
import { StatsSum, type SplitSummary } from "./stats.ts";
import { DataParallel, shardCapacity, shardRange } from "../mpi/data-parallel.ts";
import { SOLO, type World } from "../mpi/world.ts";

/** The loss or a weight became NaN or ±Inf: training cannot continue from these weights. */
export class NonFiniteError extends Error {
  readonly userFacing = true;
  override readonly name = "NonFiniteError";
  constructor(
    message: string,
    readonly epoch: number,
    readonly batch: number,
  ) {
    super(message);
  }
}

export interface TrainerOptions {
  /** What is trained on: the training split, or its part left after holding out `val`. */
  train: SpikeDataset;
  test: SpikeDataset;
  /** Held-out samples model selection reads (null: none). */
  val?: SpikeDataset | null;
  /** Samples per training and evaluation batch (≤ the model's batch capacity). */
  batch: number;
  /** Seeds the shuffle of every epoch (mixed with the epoch number) and the --limit subset. */
  seed: number;
  /** The learning rate when there is no schedule (`lrAt`). */
  lr: number;
  /** The learning rate of each step, by its 0-based position in the whole run (a schedule). */
  lrAt?: (step: number) => number;
  /** Training samples drawn anew each epoch (augmentation): sample `index` of `train` in `epoch`. */
  augmented?: ((index: number, epoch: number) => SpikeSample) | null;
  /** Train on this many samples only (a fixed subset). */
  limit?: number | null;
  /** Evaluate on this many test samples only (a fixed seeded subset, in dataset order). */
  testLimit?: number | null;
  /** Validate on this many held-out samples only (the same share as testLimit). */
  valLimit?: number | null;
  /** The MPI world (joinWorld()): with several ranks, each trains on its share of every batch of
   *  `batch` samples and the gradients are summed; the model needs room for a share only
   *  (shardCapacity). Default SOLO: this process alone. */
  world?: World;
}

export interface BatchInfo {
  /** 0-based epoch. */
  epoch: number;
  /** 1-based number of the batch just trained, and the epoch's batch count. */
  batch: number;
  batches: number;
  stats: StepStats;
  /** The epoch's running sums so far. */
  sum: StatsSum;
}

export interface EpochRun {
  /** false when shouldStop() ended the epoch early. */
  complete: boolean;
  /** Samples of this epoch trained so far (the resume point when incomplete). */
  samplesDone: number;
  sum: StatsSum;
  /** The learning rate of the last step trained (null when none was). */
  lastLr: number | null;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Trainer {
  readonly hidden: SpikingLayer[];
  readonly world: World;
  /** The data-parallel steps when the world has several ranks (null: this process alone). */
  readonly parallel: DataParallel | null;
  /** The test and validation batches, packed once per run where they fit (eval-batches.ts). */
  private readonly evalBatches = new EvalBatches();
  /** Two sets of arrays the training batches are packed into in turn: the step's batch in one, the
   *  next batch (which an overlapping upload reads during the step) in the other. */
  private readonly trainArrays = [new BatchArrays(), new BatchArrays()] as const;

  constructor(
    readonly model: SnnModel,
    readonly opts: TrainerOptions,
  ) {
    this.world = opts.world ?? SOLO;
    const share = shardCapacity(opts.batch, this.world.size);
    if (share > model.batchCapacity)
      throw new RangeError(
        this.world.size > 1
          ? `a share of batch ${opts.batch} over ${this.world.size} ranks is ${share} samples, more than the model's capacity of ${model.batchCapacity}`
          : `batch ${opts.batch} exceeds the model's capacity of ${model.batchCapacity}`,
      );
    this.hidden = spikingLayers(model.network);
    this.parallel = this.world.size > 1 ? new DataParallel(this.world, model) : null;
  }

  newSum(): StatsSum {
    return new StatsSum(
      this.hidden.map((l) => l.id),
      this.hidden.map((l) => l.nOut),
      this.model.network.steps,
    );
  }

  /** The sample order of epoch `epoch` (0-based). */
  order(epoch: number): Uint32Array {
    return epochOrder(this.opts.train.length, this.opts.seed, epoch, { limit: this.opts.limit ?? undefined });
  }

  /** Training samples per epoch. */
  epochSamples(): number {
    return Math.min(this.opts.train.length, this.opts.limit ?? Infinity);
  }

  batchesPerEpoch(): number {
    return Math.ceil(this.epochSamples() / this.opts.batch);
  }

  private pack(dataset: SpikeDataset, indices: ArrayLike<number>, from: number, to: number, get = (i: number) => dataset.get(i), into?: BatchArrays): SpikeBatch {
    const samples = [];
    for (let k = from; k < to; k++) samples.push(get(indices[k]));
    return packBatch(samples, dataset.steps, dataset.inputs, into);
  }

  /** The learning rate of step `step` (0-based over the whole run). */
  lrAt(step: number): number {
    return this.opts.lrAt ? this.opts.lrAt(step) : this.opts.lr;
  }

  /**
   * Trains epoch `epoch` (0-based) from sample `from` of its order, adding to `sum` (pass a
   * restored sum when resuming mid-epoch). After each batch it yields to the event loop (so
   * Ctrl-C handlers run) and stops early when `shouldStop()` is true. The batches handed to
   * model.trainStep live in arrays the trainer packs again two steps later: a batch holds its
   * samples during its step and, as `next`, until the following step; copy it to keep it longer.
   */
  async trainEpoch(
    epoch: number,
    opts: { from?: number; sum?: StatsSum; onBatch?: (info: BatchInfo) => void; shouldStop?: () => boolean } = {},
  ): Promise<EpochRun> {
    const order = this.order(epoch);
    const { batch, train, augmented } = this.opts;
    const get = augmented ? (i: number) => augmented(i, epoch) : (i: number) => train.get(i);
    const sum = opts.sum ?? this.newSum();
    const batches = Math.ceil(order.length / batch);
    let at = opts.from ?? 0;
    let batchNo = Math.ceil(at / batch);
    let lastLr: number | null = null;
    if (this.parallel) return this.trainEpochParallel(this.parallel, epoch, order, at, batchNo, sum, get, opts);
    // Each batch is packed one step early and handed to trainStep as `next`: a model that overlaps
    // uploads (CUDA --overlap-upload) sends it to the device while the current step runs.
    let current: SpikeBatch | null = null;
    let slot = 0; // which of trainArrays holds `current`
    while (at < order.length) {
      if (opts.shouldStop?.()) return { complete: false, samplesDone: at, sum, lastLr };
      const t0 = performance.now();
      const end = Math.min(order.length, at + batch);
      current ??= this.pack(train, order, at, end, get, this.trainArrays[slot]);
      const next = end < order.length ? this.pack(train, order, end, Math.min(order.length, end + batch), get, this.trainArrays[1 - slot]) : undefined;
      const lr = this.lrAt(epoch * batches + batchNo);
      const stats = this.model.trainStep(current, lr, next);
      lastLr = lr;
      current = next ?? null;
      slot = 1 - slot;
      sum.seconds += (performance.now() - t0) / 1000; // encoding + packing + the step
      batchNo++;
      this.recordBatch(stats, epoch, batchNo, batches, sum, opts.onBatch);
      at = end;
      await yieldToEventLoop();
    }
    return { complete: true, samplesDone: at, sum, lastLr };
  }

  /** After a step, one process or many: a non-finite loss ends the run; else the step's stats count. */
  private recordBatch(stats: StepStats, epoch: number, batchNo: number, batches: number, sum: StatsSum, onBatch?: (info: BatchInfo) => void): void {
    if (!Number.isFinite(stats.loss))
      throw new NonFiniteError(
        `the training loss became ${stats.loss} at epoch ${epoch + 1}, batch ${batchNo} of ${batches}; training stopped (lower the learning rate with --lr, or check the data)`,
        epoch + 1,
        batchNo,
      );
    sum.add(stats);
    onBatch?.({ epoch, batch: batchNo, batches, stats, sum });
  }

  /** trainEpoch on several ranks: this rank's share of each batch; a stop asked of any rank ends
   *  the epoch on all of them after the same batch. */
  private async trainEpochParallel(
    parallel: DataParallel,
    epoch: number,
    order: Uint32Array,
    at: number,
    batchNo: number,
    sum: StatsSum,
    get: (i: number) => SpikeSample,
    opts: { onBatch?: (info: BatchInfo) => void; shouldStop?: () => boolean },
  ): Promise<EpochRun> {
    const { batch } = this.opts;
    const { rank, size } = this.world;
    const batches = Math.ceil(order.length / batch);
    let lastLr: number | null = null;
    // A stop asked for between epochs (during evaluation) is agreed on before the first batch.
    let stop = parallel.anyStop(opts.shouldStop?.() ?? false, `the start of epoch ${epoch + 1}`);
    while (at < order.length) {
      if (stop) return { complete: false, samplesDone: at, sum, lastLr };
      const t0 = performance.now();
      const end = Math.min(order.length, at + batch);
      const [from, to] = shardRange(at, end, rank, size);
      const local = to > from ? this.pack(this.opts.train, order, from, to, get) : null;
      const lr = this.lrAt(epoch * batches + batchNo);
      const step = parallel.trainStep(local, end - at, lr, opts.shouldStop?.() ?? false, `batch ${batchNo + 1} of epoch ${epoch + 1}`);
      const stats = step.stats;
      stop = step.stop;
      lastLr = lr;
      sum.seconds += (performance.now() - t0) / 1000;
      batchNo++;
      this.recordBatch(stats, epoch, batchNo, batches, sum, opts.onBatch);
      at = end;
      await yieldToEventLoop();
    }
    return { complete: true, samplesDone: at, sum, lastLr };
  }

  /**
   * Throws when a weight is NaN or ±Inf. The loss alone does not catch every case: a NaN membrane
   * never crosses threshold and max over time skips NaN, so NaN weights can leave the loss finite.
   */
  checkWeights(epoch: number): void {
    for (const name of this.model.weightNames) {
      const w = this.model.getWeights(name);
      for (let k = 0; k < w.length; k++)
        if (!Number.isFinite(w[k]))
          throw new NonFiniteError(
            `the weights became non-finite during epoch ${epoch + 1} (${name}[${k}] is ${w[k]}); training stopped (lower the learning rate with --lr, or check the data)`,
            epoch + 1,
            0,
          );
    }
  }

  /** Indices of the test samples evaluated (all, or a fixed seeded subset of testLimit, in dataset order). */
  testIndices(): Uint32Array {
    return epochOrder(this.opts.test.length, this.opts.seed, 0, { limit: this.opts.testLimit ?? undefined, shuffle: false });
  }

  /** Indices of the validation samples evaluated (all, or a fixed seeded subset of valLimit); none without a validation split. */
  valIndices(): Uint32Array {
    const val = this.opts.val;
    return val ? epochOrder(val.length, this.opts.seed, 0, { limit: this.opts.valLimit ?? undefined, shuffle: false }) : new Uint32Array(0);
  }

  /** Loss, accuracy and per-layer activity on the test split, or the validation split (forward
   *  only, weights unchanged). */
  async evaluate(split: "test" | "val" = "test"): Promise<SplitSummary> {
    const dataset = split === "test" ? this.opts.test : this.opts.val;
    if (!dataset) throw new Error("internal error: no validation split to evaluate");
    const order = split === "test" ? this.testIndices() : this.valIndices();
    const sum = this.newSum();
    const t0 = performance.now();
    const { rank, size } = this.world;
    for (let at = 0, k = 0; at < order.length; at += this.opts.batch, k++) {
      const end = Math.min(order.length, at + this.opts.batch);
      if (this.parallel) {
        const [from, to] = shardRange(at, end, rank, size);
        const local = this.evalBatches.get(split, k, () => (to > from ? this.pack(dataset, order, from, to) : null));
        sum.add(this.parallel.evaluate(local, end - at, `the ${split === "test" ? "test" : "validation"} batch at sample ${at}`));
      } else sum.add(this.model.forward(this.evalBatches.get(split, k, () => this.pack(dataset, order, at, end))!));
      await yieldToEventLoop();
    }
    sum.seconds = (performance.now() - t0) / 1000;
    return sum.summary();
  }
}
