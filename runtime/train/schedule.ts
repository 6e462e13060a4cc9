// The learning rate of every training step: a pure function of the step's position in the run, so
// a resumed run (which knows its position from the checkpoint) continues the schedule exactly, and
// the host passes it to the kernels with each step (no rebuild, no device state).
//
// Positions are batches: step s of S = epochs × batches per epoch. The formulas are PyTorch's:
// LinearLR-style warm-up, StepLR, CosineAnnealingLR (η_min = min_lr) and OneCycleLR (cosine
// annealing, two phases; β1 is not cycled because it is baked into the kernels).

import type { ResolvedSchedule } from "../../compiler/spec/types.ts";

export interface ScheduleClock {
  /** Batches per epoch of this run. */
  batchesPerEpoch: number;
  /** Epochs the run trains to (the schedule spans all of them). */
  epochs: number;
}

/** The learning rate of step `step` (0-based, counted over the whole run). */
export function scheduledLr(s: ResolvedSchedule, peak: number, step: number, clock: ScheduleClock): number {
  const total = clock.epochs * clock.batchesPerEpoch;
  if (s.kind === "one_cycle") return oneCycle(s, peak, step, total);
  const warm = Math.round(s.warmup_epochs * clock.batchesPerEpoch);
  if (step < warm) return (peak * (step + 1)) / warm;
  switch (s.kind) {
    case "constant":
      return peak;
    case "step":
      return peak * s.gamma ** Math.floor(step / (s.step_epochs * clock.batchesPerEpoch));
    case "cosine": {
      const progress = Math.min(1, (step - warm) / Math.max(1, total - warm));
      return annealCos(peak, s.min_lr, progress);
    }
  }
}

/** Cosine from `start` (progress 0) to `end` (progress 1), as PyTorch's _annealing_cos. */
function annealCos(start: number, end: number, progress: number): number {
  return end + ((start - end) / 2) * (1 + Math.cos(Math.PI * progress));
}

function oneCycle(s: Extract<ResolvedSchedule, { kind: "one_cycle" }>, peak: number, step: number, total: number): number {
  const initial = peak / s.div_factor;
  const final = initial / s.final_div_factor;
  const rise = s.pct_start * total - 1; // the step at which the peak is reached, as PyTorch places it
  if (step <= rise) return annealCos(initial, peak, rise > 0 ? step / rise : 1);
  const fall = total - 1 - rise;
  return annealCos(peak, final, fall > 0 ? Math.min(1, (step - rise) / fall) : 1);
}

/** "cosine, warm-up 1 epoch, min_lr 0" for the lines `snnc train` prints. */
export function describeSchedule(s: ResolvedSchedule): string {
  const warm = "warmup_epochs" in s && s.warmup_epochs > 0 ? `, warm-up ${s.warmup_epochs} epoch${s.warmup_epochs === 1 ? "" : "s"}` : "";
  switch (s.kind) {
    case "constant":
      return `constant${warm}`;
    case "step":
      return `step ×${s.gamma} every ${s.step_epochs} epochs${warm}`;
    case "cosine":
      return `cosine to ${s.min_lr}${warm}`;
    case "one_cycle":
      return `one-cycle (rise ${s.pct_start}, ÷${s.div_factor}, ÷${s.final_div_factor})`;
  }
}
