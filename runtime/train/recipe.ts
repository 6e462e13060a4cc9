// The training recipe of one run: schedule, weight decay, validation split, early stopping and
// augmentation, from the spec's `training`, overridden by `snnc train` flags, and on --resume taken
// from the checkpoint (so `--resume last.safetensors` alone continues the same run). Refuses values
// that cannot work with the run they are given to, naming the flag or the spec field.

import type { AugmentSpec, ResolvedSchedule, ScheduleKind } from "../../compiler/spec/types.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { resolveSchedule } from "../../compiler/spec/defaults.ts";
import { SCHEDULE_FIELDS } from "../../compiler/spec/check-training.ts";
import { validationCount } from "../data/validation-split.ts";
import { TrainConfigError } from "./train-config-error.ts";
import { describeSchedule } from "./schedule.ts";

export interface RunRecipe {
  schedule: ResolvedSchedule;
  /** AdamW's decoupled decay λ (0: plain Adam). */
  weightDecay: number;
  /** Held-out share (< 1) or count (≥ 1) as asked; 0: no validation split. */
  validation: number;
  /** Early-stopping patience in epochs; null: never. */
  earlyStop: number | null;
  augment: AugmentSpec;
}

/** The best epoch by validation accuracy so far, and what the test split said of it. */
export interface BestEpoch {
  epoch: number;
  valAccuracy: number;
  valLoss: number;
  testAccuracy: number;
  testLoss: number;
}

export interface RecipeFlags {
  schedule?: ScheduleKind;
  warmupEpochs?: number;
  weightDecay?: number;
  validation?: number;
  earlyStop?: number;
}

/** The recipe the spec asks for. */
export function specRecipe(net: Network): RunRecipe {
  return {
    schedule: net.training.schedule,
    weightDecay: net.training.weightDecay,
    validation: net.training.validation,
    earlyStop: net.training.earlyStop,
    augment: { ...net.training.augment },
  };
}

/** The recipe a resumed checkpoint continues: its own, or for a checkpoint written before recipes
 *  existed (no `recipe` metadata) the spec's without a validation split, since that run trained on
 *  the whole training split and holding samples out now would change its data mid-run. */
export function resumedRecipe(net: Network, recipe: RunRecipe | null): RunRecipe {
  return recipe ?? { ...specRecipe(net), validation: 0 };
}

/** The recipe a run uses: flags over the checkpoint's recipe (on resume) over the spec's. */
export function resolveRecipe(net: Network, flags: RecipeFlags, resumed: RunRecipe | null): RunRecipe {
  const base: RunRecipe = resumed ?? specRecipe(net);
  let schedule = base.schedule;
  if (flags.schedule !== undefined && flags.schedule !== schedule.kind) schedule = resolveSchedule({ kind: flags.schedule });
  if (flags.warmupEpochs !== undefined) {
    if (!SCHEDULE_FIELDS[schedule.kind].includes("warmup_epochs"))
      throw new TrainConfigError(`--warmup-epochs does not apply to the ${schedule.kind} schedule (it warms up on its own); use it with constant, step or cosine`);
    schedule = { ...schedule, warmup_epochs: flags.warmupEpochs } as ResolvedSchedule;
  }
  const validation = flags.validation ?? base.validation;
  if (validation >= 1 && !Number.isInteger(validation))
    throw new TrainConfigError(`--val must be a fraction in [0, 1) or a whole number of samples, got ${validation}`);
  const earlyStop = flags.earlyStop ?? base.earlyStop;
  if (earlyStop !== null && validation === 0)
    throw new TrainConfigError(`early stopping (${flags.earlyStop !== undefined ? "--early-stop" : "training.early_stop"}) needs a validation split, but ${flags.validation !== undefined ? "--val" : "training.validation"} is 0; hold some samples out`);
  return { schedule, weightDecay: flags.weightDecay ?? base.weightDecay, validation, earlyStop, augment: base.augment };
}

/** Checks the recipe against the run's length and training split; returns the held-out count. */
export function checkRecipe(recipe: RunRecipe, flags: RecipeFlags, run: { epochs: number; trainSamples: number }): number {
  const s = recipe.schedule;
  if ("warmup_epochs" in s && s.warmup_epochs >= run.epochs)
    throw new TrainConfigError(
      `a warm-up of ${s.warmup_epochs} epochs (${flags.warmupEpochs !== undefined ? "--warmup-epochs" : "training.schedule.warmup_epochs"}) is not shorter than the run of ${run.epochs} epochs; warm up over a small part of it`,
    );
  const count = validationCount(recipe.validation, run.trainSamples);
  if (count >= run.trainSamples)
    throw new TrainConfigError(
      `${flags.validation !== undefined ? `--val ${flags.validation}` : `training.validation ${recipe.validation}`} holds out ${count} samples, but the training split has only ${run.trainSamples}; hold out fewer (e.g. --val 0.1)`,
    );
  return count;
}

/** What a run does beyond plain Adam at a constant rate, a phrase each (none for that default):
 *  `snnc train`'s "recipe:" line and the report's summary. */
export function describeRecipe(r: Pick<RunRecipe, "schedule" | "weightDecay" | "earlyStop" | "augment"> & { clipGradNorm: number | null }): string[] {
  const parts = [
    (r.schedule.kind !== "constant" || r.schedule.warmup_epochs > 0) && `schedule ${describeSchedule(r.schedule)}`,
    r.weightDecay > 0 && `AdamW weight decay ${r.weightDecay}`,
    r.clipGradNorm !== null && `gradients clipped to norm ${r.clipGradNorm}`,
    r.earlyStop !== null && `early stop after ${r.earlyStop} epoch${r.earlyStop === 1 ? "" : "s"} without a better validation accuracy`,
    Object.keys(r.augment ?? {}).length > 0 && `augmentation ${Object.entries(r.augment).map(([k, v]) => `${k} ${v}`).join(", ")}`,
  ];
  return parts.filter((p): p is string => typeof p === "string");
}
