// The evaluation splits' packed batches, kept from one epoch to the next. The test and validation
// samples and their order do not change during a run, so reading, encoding and packing them again
// every epoch only repeats work: for F-MNIST 16 000 images an epoch (~5% of its time), for data
// read from files (N-MNIST) a file a sample. A split is kept only while all splits' batches fit
// the budget; one that does not is packed anew each epoch, as before, and holds no memory.

import type { SpikeBatch } from "../data/spike-batch.ts";

/** Bytes of packed batches kept at most (F-MNIST's two splits take 28 MB). */
export const EVAL_BATCHES_BUDGET = 256 * 2 ** 20;

function batchBytes(b: SpikeBatch | null): number {
  return b ? b.offsets.byteLength + b.indices.byteLength + b.labels.byteLength : 0;
}

export class EvalBatches {
  /** Per split: its batches so far, or false once they did not fit. */
  private readonly splits = new Map<string, (SpikeBatch | null)[] | false>();
  private bytes = 0;

  constructor(private readonly budget = EVAL_BATCHES_BUDGET) {}

  /** Batch k of `split` (k counts from 0 in the split's fixed order): the one kept, or make()'s,
   *  kept while there is room. A rank with no share of a batch keeps null for it. */
  get(split: string, k: number, make: () => SpikeBatch | null): SpikeBatch | null {
    let kept = this.splits.get(split);
    if (kept === undefined) this.splits.set(split, (kept = []));
    if (kept && k < kept.length) return kept[k];
    const batch = make();
    if (kept && k === kept.length) {
      const bytes = batchBytes(batch);
      if (this.bytes + bytes <= this.budget) {
        kept.push(batch);
        this.bytes += bytes;
      } else {
        for (const b of kept) this.bytes -= batchBytes(b);
        this.splits.set(split, false);
      }
    }
    return batch;
  }

  /** Bytes held now. */
  get heldBytes(): number {
    return this.bytes;
  }
}
