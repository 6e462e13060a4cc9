// Cross-field rules of the training recipe: which fields belong to which optimiser, schedule and
// dataset, and schedule lengths against the run's. The schema checks each number on its own.

import { DEFAULT_TRAINING } from "./defaults.ts";
import { pointerOf, type Finding } from "./problem.ts";
import type { AugmentSpec, DatasetName, NetworkSpec, ScheduleKind, ScheduleSpec } from "./types.ts";

/** The schedule fields each kind reads; any other is refused rather than silently ignored. */
export const SCHEDULE_FIELDS: Readonly<Record<ScheduleKind, readonly (keyof ScheduleSpec)[]>> = {
  constant: ["warmup_epochs"],
  step: ["warmup_epochs", "step_epochs", "gamma"],
  cosine: ["warmup_epochs", "min_lr"],
  one_cycle: ["pct_start", "div_factor", "final_div_factor"],
};

/** The augmentations each dataset can take (synthetic data and delayed-XOR take none). */
export const AUGMENT_FIELDS: Readonly<Record<DatasetName, readonly (keyof AugmentSpec)[]>> = {
  "fashion-mnist": ["translate", "flip"],
  nmnist: ["jitter", "drop"],
  shd: ["channel_shift", "drop"],
  synthetic: [],
  "delayed-xor": [],
};

export function checkTraining(spec: NetworkSpec): Finding[] {
  const t = spec.training;
  const found: Finding[] = [];
  if (t.optimizer.kind === "adam" && t.optimizer.weight_decay !== undefined)
    found.push({
      pointer: "/training/optimizer/weight_decay",
      message: `weight_decay needs kind "adamw", got kind "adam"`,
      hint: 'snnc decays weights the decoupled way only (AdamW): set "kind": "adamw"',
    });
  if (t.schedule) found.push(...checkSchedule(t.schedule, t.epochs, t.optimizer.lr));
  if (t.validation !== undefined && t.validation >= 1 && !Number.isInteger(t.validation))
    found.push({
      pointer: "/training/validation",
      message: `must be a fraction in [0, 1) or a whole number of samples, got ${t.validation}`,
      hint: "0.1 holds out a tenth of the training split; 5000 holds out 5000 samples",
    });
  if (t.early_stop !== undefined && (t.validation ?? DEFAULT_TRAINING.validation) === 0)
    found.push({
      pointer: "/training/early_stop",
      message: "needs a validation split, but training.validation is 0",
      hint: "early stopping watches the validation accuracy: hold some samples out",
    });
  if (t.augment) {
    const dataset = spec.input.dataset ?? "synthetic";
    const allowed = AUGMENT_FIELDS[dataset];
    for (const field of Object.keys(t.augment) as (keyof AugmentSpec)[])
      if (!allowed.includes(field))
        found.push({
          pointer: pointerOf("training", "augment", field),
          message: `${field} does not apply to the ${dataset} dataset`,
          hint: allowed.length ? `${dataset} takes ${allowed.join(", ")}` : `${dataset} data takes no augmentation`,
        });
  }
  return found;
}

function checkSchedule(s: ScheduleSpec, epochs: number, lr: number): Finding[] {
  const found: Finding[] = [];
  const allowed = SCHEDULE_FIELDS[s.kind];
  for (const field of Object.keys(s) as (keyof ScheduleSpec)[])
    if (field !== "kind" && !allowed.includes(field))
      found.push({
        pointer: pointerOf("training", "schedule", field),
        message: `${field} does not apply to schedule kind "${s.kind}"`,
        hint: `"${s.kind}" takes ${allowed.join(", ")}`,
      });
  if (s.warmup_epochs !== undefined && allowed.includes("warmup_epochs") && s.warmup_epochs >= epochs)
    found.push({
      pointer: "/training/schedule/warmup_epochs",
      message: `a warm-up of ${s.warmup_epochs} epochs is not shorter than the run (training.epochs is ${epochs})`,
      hint: "warm up over a small part of the run, e.g. 1 epoch of 30",
    });
  if (s.kind === "cosine" && s.min_lr !== undefined && s.min_lr >= lr)
    found.push({
      pointer: "/training/schedule/min_lr",
      message: `must be below the learning rate (${lr}), got ${s.min_lr}`,
      hint: "the cosine decays from optimizer.lr down to min_lr",
    });
  return found;
}
