// The training loop proper: one epoch of shuffled batches (the order is a pure function of seed
// and epoch, so a resumed run sees the same batches), each step at the schedule's learning rate for
// its position in the run, evaluation on the validation and test splits, and the checks that stop a
// run early (a non-finite loss, a Ctrl-C between batches). Files, progress display, checkpoints and
// model selection are the caller's (run-training.ts); this class only needs a model and datasets.

import type { SpikingLayer } from "../../compiler/ir/types.ts";
import { spikingLayers } from "../../compiler/ir/layers.ts";
import { epochOrder } from "../data/batches.ts";
import { packBatch, type SpikeBatch, type SpikeDataset, type SpikeSample } from "../data/spike-batch.ts";
import type { SnnModel } from "../model/snn-model.ts";
import type { StepStats } from "../model/step-stats.ts";
import { StatsSum, type SplitSummary } from "./stats.ts";

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

  constructor(
    readonly model: SnnModel,
    readonly opts: TrainerOptions,
  ) {
    if (opts.batch > model.batchCapacity)
      throw new RangeError(`batch ${opts.batch} exceeds the model's capacity of ${model.batchCapacity}`);
    this.hidden = spikingLayers(model.network);
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

  private pack(dataset: SpikeDataset, indices: ArrayLike<number>, from: number, to: number, get = (i: number) => dataset.get(i)): SpikeBatch {
    const samples = [];
    for (let k = from; k < to; k++) samples.push(get(indices[k]));
    return packBatch(samples, dataset.steps, dataset.inputs);
  }

  /** The learning rate of step `step` (0-based over the whole run). */
  lrAt(step: number): number {
    return this.opts.lrAt ? this.opts.lrAt(step) : this.opts.lr;
  }

  /**
   * Trains epoch `epoch` (0-based) from sample `from` of its order, adding to `sum` (pass a
   * restored sum when resuming mid-epoch). After each batch it yields to the event loop (so
   * Ctrl-C handlers run) and stops early when `shouldStop()` is true.
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
    // Each batch is packed one step early and handed to trainStep as `next`: a model that overlaps
    // uploads (CUDA --overlap-upload) sends it to the device while the current step runs.
    let current: SpikeBatch | null = null;
    while (at < order.length) {
      if (opts.shouldStop?.()) return { complete: false, samplesDone: at, sum, lastLr };
      const t0 = performance.now();
      const end = Math.min(order.length, at + batch);
      current ??= this.pack(train, order, at, end, get);
      const next = end < order.length ? this.pack(train, order, end, Math.min(order.length, end + batch), get) : undefined;
      const lr = this.lrAt(epoch * batches + batchNo);
      const stats = this.model.trainStep(current, lr, next);
      lastLr = lr;
      current = next ?? null;
      sum.seconds += (performance.now() - t0) / 1000; // encoding + packing + the step
      batchNo++;
      if (!Number.isFinite(stats.loss))
        throw new NonFiniteError(
          `the training loss became ${stats.loss} at epoch ${epoch + 1}, batch ${batchNo} of ${batches}; training stopped (lower the learning rate with --lr, or check the data)`,
          epoch + 1,
          batchNo,
        );
      sum.add(stats);
      at = end;
      opts.onBatch?.({ epoch, batch: batchNo, batches, stats, sum });
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
    for (let at = 0; at < order.length; at += this.opts.batch) {
      const packed = this.pack(dataset, order, at, Math.min(order.length, at + this.opts.batch));
      sum.add(this.model.forward(packed));
      await yieldToEventLoop();
    }
    sum.seconds = (performance.now() - t0) / 1000;
    return sum.summary();
  }
}
