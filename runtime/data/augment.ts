// Training-data augmentation (the spec's training.augment), applied on the host as samples are
// read: each training sample is drawn anew per epoch, from (seed, epoch, index) only, so a resumed
// run sees the very samples an uninterrupted one would. Images are mirrored as pixels, encoded, and
// moved as spikes (augment/image-shift.ts); event data is moved and thinned as events
// (augment/unit-shift.ts, augment/remap-events.ts). Test and validation data are never augmented.

import type { AugmentSpec } from "../../compiler/spec/types.ts";
import { augmentRng } from "./augment/draw.ts";
import { imagesOf, shiftEvents } from "./augment/image-shift.ts";
import { remapEvents } from "./augment/remap-events.ts";
import { channelShift, sensorShift, type UnitMap } from "./augment/unit-shift.ts";
import { NMNIST_INPUTS } from "./nmnist.ts";
import type { SpikeDataset, SpikeSample } from "./spike-batch.ts";

export interface AugmentedDataset {
  /** The training split the samples come from; sample(i, e) is an augmented base.get(i). */
  readonly base: SpikeDataset;
  sample(index: number, epoch: number): SpikeSample;
}

/**
 * The augmented view of `train`, or null when `augment` asks for nothing (absent, empty, or only
 * zeros and false), so the caller keeps reading `train` directly. Throws a TypeError when a field
 * does not fit the data (translate/flip on data that is not images, jitter on data that is not
 * N-MNIST's 34×34 sensor) and a RangeError for a value outside its range. `train` may be a view
 * that picks samples of an image dataset by index ({ base, indices }, like the training part of a
 * validation split); the pixels are then read through it. sample(i, e) draws from (seed, e, i),
 * i being the index into `train` as given.
 */
export function augmentDataset(train: SpikeDataset, augment: AugmentSpec | undefined, seed: number): AugmentedDataset | null {
  const translate = count(augment?.translate, "translate");
  const flip = augment?.flip === true;
  const jitter = count(augment?.jitter, "jitter");
  const shift = count(augment?.channel_shift, "channel_shift");
  const drop = augment?.drop ?? 0;
  if (!(drop >= 0 && drop < 1)) throw new RangeError(`augment.drop must be in [0, 1), got ${drop}`);
  if (translate === 0 && !flip && jitter === 0 && shift === 0 && drop === 0) return null;
  if (!Number.isFinite(seed)) throw new RangeError(`augment: seed must be a finite number, got ${seed}`);

  const image = translate > 0 || flip ? imagesOf(train) : null;
  if ((translate > 0 || flip) && !image)
    throw new TypeError(`augment: translate and flip move image pixels; ${train.name} is not an image dataset`);
  if (jitter > 0 && (train.inputs !== NMNIST_INPUTS && train.inputs !== 2 * NMNIST_INPUTS))
    throw new TypeError(`augment: jitter moves events on N-MNIST's 34×34 sensor; ${train.name} has ${train.inputs} inputs`);
  if (jitter > 0 && shift > 0) throw new TypeError("augment: jitter (N-MNIST) and channel_shift (SHD) do not go together");

  const inputs = train.inputs;
  const sample = (index: number, epoch: number): SpikeSample => {
    if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`augment: epoch must be a non-negative integer, got ${epoch}`);
    // The draws come in a fixed order: image move, event move, then one per event for drop.
    const rng = augmentRng(seed, epoch, index);
    let s: SpikeSample;
    if (image) {
      const src = image.images;
      const at = image.at(index);
      const dx = translate > 0 ? rng.int(-translate, translate) : 0;
      const dy = translate > 0 ? rng.int(-translate, translate) : 0;
      const mirror = flip && rng.next() < 0.5;
      s = shiftEvents(src.encoded(at, mirror), src.rows, src.cols, dx, dy);
    } else {
      s = train.get(index);
    }
    let map: UnitMap | null = null;
    if (jitter > 0) map = sensorShift(rng.int(-jitter, jitter), rng.int(-jitter, jitter));
    else if (shift > 0) map = channelShift(rng.int(-shift, shift), inputs);
    return map || drop > 0 ? remapEvents(s, map, drop, rng, inputs) : s;
  };
  return { base: train, sample };
}

/** The samples of one epoch as a plain SpikeDataset, for epochBatches and anything else that reads one. */
export function augmentedEpoch(aug: AugmentedDataset, epoch: number): SpikeDataset {
  const { base } = aug;
  return {
    name: base.name,
    length: base.length,
    inputs: base.inputs,
    steps: base.steps,
    classes: base.classes,
    get: (index) => aug.sample(index, epoch),
  };
}

function count(v: number | undefined, field: string): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`augment.${field} must be a non-negative integer, got ${v}`);
  return v;
}
