// The random stream of one augmented sample. It is seeded from (seed, epoch, index) alone, so a run
// resumed at epoch k draws exactly what an uninterrupted run would, whatever order or batch the
// sample lands in, and each epoch sees a fresh draw of every sample.

import { Rng } from "../../util/rng.ts";
import { mixSeed } from "../batches.ts";

// Its own stream, apart from batches.ts's subset and shuffle streams, so turning augmentation on
// or off never changes which samples form which batch.
const AUGMENT_STREAM = 0xa06e47;

export function augmentRng(seed: number, epoch: number, index: number): Rng {
  return new Rng(mixSeed(seed, AUGMENT_STREAM, epoch, index));
}
