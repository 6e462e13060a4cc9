// Summing per-batch StepStats into per-epoch (or per-evaluation) numbers. Sums, not means, are
// kept so an interrupted epoch can be checkpointed and resumed without changing its final line.

import type { PartialEpoch } from "../checkpoint/checkpoint.ts";
import type { StepStats } from "../model/step-stats.ts";

export interface LayerSummary {
  id: string;
  /** Fraction of neuron-times in the active band |V − V_th| < B_th (the sparse backward's work). */
  activeFraction: number;
  /** Spikes per neuron per step. */
  spikeRate: number;
}

export interface SplitSummary {
  samples: number;
  batches: number;
  /** Mean loss per sample: cross-entropy plus the activity penalties. */
  loss: number;
  crossEntropy: number;
  accuracy: number;
  layers: LayerSummary[];
  seconds: number;
}

export class StatsSum {
  samples = 0;
  batches = 0;
  lossSum = 0;
  ceSum = 0;
  correct = 0;
  spikes: number[];
  active: number[];
  seconds = 0;

  constructor(
    private readonly layerIds: string[],
    /** neuron count per hidden layer and steps, to turn sums into per-neuron-step rates */
    private readonly layerSizes: number[],
    private readonly steps: number,
  ) {
    this.spikes = layerIds.map(() => 0);
    this.active = layerIds.map(() => 0);
  }

  add(s: StepStats): void {
    this.samples += s.batch;
    this.batches += 1;
    this.lossSum += s.loss * s.batch;
    this.ceSum += s.crossEntropy * s.batch;
    this.correct += s.correct;
    s.layers.forEach((l, k) => {
      this.spikes[k] += l.spikes;
      this.active[k] += l.active;
    });
  }

  get meanLoss(): number {
    return this.samples ? this.lossSum / this.samples : NaN;
  }

  get accuracy(): number {
    return this.samples ? this.correct / this.samples : NaN;
  }

  summary(): SplitSummary {
    const n = this.samples;
    return {
      samples: n,
      batches: this.batches,
      loss: n ? this.lossSum / n : NaN,
      crossEntropy: n ? this.ceSum / n : NaN,
      accuracy: n ? this.correct / n : NaN,
      layers: this.layerIds.map((id, k) => {
        const cells = n * this.steps * this.layerSizes[k];
        return { id, activeFraction: cells ? this.active[k] / cells : NaN, spikeRate: cells ? this.spikes[k] / cells : NaN };
      }),
      seconds: this.seconds,
    };
  }

  toPartial(): PartialEpoch {
    const { samples, batches, lossSum, ceSum, correct, seconds } = this;
    return { samples, batches, lossSum, ceSum, correct, spikes: [...this.spikes], active: [...this.active], seconds };
  }

  restore(p: PartialEpoch): void {
    this.samples = p.samples;
    this.batches = p.batches;
    this.lossSum = p.lossSum;
    this.ceSum = p.ceSum;
    this.correct = p.correct;
    this.seconds = p.seconds;
    if (p.spikes.length === this.spikes.length) this.spikes = [...p.spikes];
    if (p.active.length === this.active.length) this.active = [...p.active];
  }
}
