// The stats buffer the host reads back after each step: its one definition. The kernels get these
// slots as named constants (network.h), the addon and the runtime read them from here.

export interface StatSlot {
  /** C constant, e.g. STAT_CROSS_ENTROPY, or STAT_SPIKES inside a layer's namespace. */
  constant: string;
  index: number;
  what: string;
}

export interface LayerStatSlots {
  stage: string;
  spikes: StatSlot;
  active: StatSlot;
}

export interface StatsLayout {
  /** The slots every network has, in order. */
  global: StatSlot[];
  /** Two slots per LIF stage, in layer order. */
  layers: LayerStatSlots[];
  length: number;
}

/** The fixed slots. `overflowed` is written by the kernels; `regrows` by the addon on return. */
export const STAT = {
  crossEntropy: 0,
  activityLow: 1,
  activityUp: 2,
  correct: 3,
  overflowed: 4,
  regrows: 5,
  gradSq: 6,
} as const;

const GLOBAL: StatSlot[] = [
  { constant: "STAT_CROSS_ENTROPY", index: STAT.crossEntropy, what: "Σ over the batch of the cross-entropy" },
  { constant: "STAT_ACTIVITY_LOW", index: STAT.activityLow, what: "Σ over the batch of L_low" },
  { constant: "STAT_ACTIVITY_UP", index: STAT.activityUp, what: "Σ over the batch of L_up" },
  { constant: "STAT_CORRECT", index: STAT.correct, what: "samples whose largest logit is their label" },
  { constant: "STAT_OVERFLOWED", index: STAT.overflowed, what: "non-zero when an active set ran out of room (the host grows it and reruns the step)" },
  { constant: "STAT_REGROWS", index: STAT.regrows, what: "times the active sets had to grow this step (set by the host)" },
  { constant: "STAT_GRAD_SQ", index: STAT.gradSq, what: "Σ of every squared weight gradient, the global norm² that clipping reads (0 without clip_grad_norm)" },
];

export function statsLayout(lifStages: string[]): StatsLayout {
  const first = GLOBAL.length;
  const layers = lifStages.map((stage, k) => ({
    stage,
    spikes: { constant: "STAT_SPIKES", index: first + 2 * k, what: `spikes of ${stage} in the batch` },
    active: { constant: "STAT_ACTIVE", index: first + 2 * k + 1, what: `active neuron-times of ${stage} in the batch` },
  }));
  return { global: GLOBAL, layers, length: first + 2 * lifStages.length };
}
