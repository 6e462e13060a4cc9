// A roofline line per kernel: the bytes and flops each kernel of one training step must move and do
// at the activity the step ran at, from the plan's shapes and the step's measured counts (input
// events, spikes and active neuron-times per layer). Pure functions: the tests check the formulas on
// a tiny plan by hand.
//
// Two byte counts per kernel (f32 = 4 bytes, u32 index = 4 bytes):
//  - `streamedBytes`: what the kernel's loop reads and writes, each access counted where it happens
//    (a weight row once per input event that reads it). This is traffic to the cache hierarchy, not
//    to DRAM: a W that fits in L2 is streamed many times from cache.
//  - `bytes` ("must-touch", the floor): every tensor the kernel touches counted once, i.e. the
//    streamed bytes with each weight/gradient tensor capped at its size (a row of W read by many
//    events counts once). This is the least DRAM traffic any implementation of the step could have
//    if nothing were cache-resident before the kernel started. The bench's GB/s and "% of measured
//    bandwidth" use this definition, so 100% means the kernel ran at the speed of streaming its
//    unique data once from memory; below it the distance to that floor is visible.
// Flops count an add or a multiply as one flop; a fused multiply-add as two; exp, sqrt and divide as
// one each. Bit operations (bitmasks, pooling ORs) are not flops.
//
// Left out on purpose (they would need counts the step does not record): the sparse backward's
// decay of δ between visited steps (Prop. 1; its cost follows the number of distinct steps with an
// event, not the events), the forward's skipped-word bookkeeping, and the host's loop overhead.

import type { KernelPlan, LifStage, Plan, PoolStage, ReadoutStage, SpikeInput } from "../../compiler/plan/types.ts";

const F = 4; // bytes of an f32 / u32

/** What one step saw: per spiking layer (by id) its spikes and active neuron-times in the batch,
 * and the batch's input events. */
export interface StepActivity {
  batch: number;
  steps: number;
  inputEvents: number;
  layers: Map<string, { spikes: number; active: number }>;
  /** Threads of the CPU kernels (per-thread gradient copies are zeroed and reduced); 1 on CUDA. */
  threads: number;
}

export interface KernelTraffic {
  kernel: string;
  /** Must-touch bytes (each tensor at most once): the floor. */
  bytes: number;
  /** Bytes the kernel's loop streams through the cache hierarchy (a row once per use). */
  streamedBytes: number;
  flops: number;
  /** A sentence: what the formula counts and assumes. */
  model: string;
}

const cap = (uses: number, rows: number, rowBytes: number) => Math.min(uses, rows) * rowBytes;

/** Events that reach a stage per batch: the input events, or the spikes of the stage below (a pool
 * stage's pooled spikes are not recorded: its source's spikes are the upper bound used). */
function inputEventsOf(input: SpikeInput, a: StepActivity): number {
  if (input.kind === "events") return a.inputEvents;
  const from = input.from.kind === "maxpool" ? input.from.from : input.from;
  return a.layers.get(from.id)?.spikes ?? 0;
}

/** Active neuron-times of the layer below (where the sparse backward computes ∂L/∂S); 0 for the input. */
function activeBelow(input: SpikeInput, a: StepActivity): { active: number; nIn: number } {
  if (input.kind === "events") return { active: 0, nIn: 0 };
  const from = input.from.kind === "maxpool" ? input.from.from : input.from;
  return { active: a.layers.get(from.id)?.active ?? 0, nIn: from.layer.nOut };
}

/** Targets of one input event and the weights tensor's size: a dense row of N, or a conv event's
 * ceil(k/s)² output positions × filters. */
function fanOut(s: LifStage | ReadoutStage): { perEvent: number; rows: number; wSize: number } {
  const l = s.layer;
  const w = s.weights[0];
  if (l.kind === "conv") {
    const reach = Math.ceil(l.kernel / l.stride) ** 2;
    // Every event of channel c reads all of that channel's k²·filters weights at most.
    return { perEvent: reach * l.filters, rows: 1, wSize: w.size };
  }
  return { perEvent: l.nOut, rows: l.nIn, wSize: w.size };
}

function biasSize(s: LifStage | ReadoutStage): number {
  return s.weights.filter((w) => w.role === "bias").reduce((n, w) => n + w.size, 0);
}

/** The traffic model of one kernel of the plan at this step's activity. */
export function kernelTraffic(plan: Plan, k: KernelPlan, a: StepActivity): KernelTraffic {
  const B = a.batch;
  const T = a.steps;
  const stage = k.stage ? plan.stages.find((s) => s.id === k.stage) : undefined;
  const out = (bytes: number, streamedBytes: number, flops: number, model: string): KernelTraffic => ({ kernel: k.name, bytes, streamedBytes, flops, model });
  const offsets = F * B * (T + 1);
  switch (k.kind) {
    case "forward_lif":
    case "forward_lif_currents": {
      const s = stage as LifStage;
      const N = s.layer.nOut;
      const E = inputEventsOf(s.input, a);
      const { perEvent, rows, wSize } = fanOut(s);
      const act = a.layers.get(s.id) ?? { spikes: 0, active: 0 };
      const inputBytes = s.input.kind === "events" ? offsets + F * E : F * B * T * inputWords(s.input);
      const rec = s.recurrent ? { streamed: act.spikes * N * F, unique: cap(act.spikes, N, N * F), flops: act.spikes * N } : { streamed: 0, unique: 0, flops: 0 };
      // Outputs: spike bitmask B·T·words, spike counts B·N, active set (index + surrogate per entry, offsets).
      const outBytes = F * B * T * s.words + F * B * N + F * (2 * act.active + B * (T + 1));
      const wStreamed = E * perEvent * F;
      const wUnique = s.layer.kind === "conv" ? Math.min(wStreamed, wSize * F) : cap(E, rows, perEvent * F);
      return out(
        wUnique + rec.unique + F * biasSize(s) + inputBytes + outBytes,
        wStreamed + rec.streamed + F * biasSize(s) + inputBytes + outBytes,
        E * perEvent + rec.flops + 4 * B * T * N,
        `per input event one row of W (${perEvent} floats, 1 add each), W counted once in the floor; 4 flops per neuron-time update (B·T·N); spike bitmask, counts and active set (index + surrogate per entry) written`,
      );
    }
    case "forward_readout": {
      const s = stage as ReadoutStage;
      const C = s.layer.nOut;
      const E = inputEventsOf(s.input, a);
      const inputBytes = s.input.kind === "events" ? offsets + F * E : F * B * T * inputWords(s.input);
      const io = inputBytes + F * biasSize(s) + 2 * F * B * C;
      return out(
        cap(E, s.layer.nIn, C * F) + io,
        E * C * F + io,
        E * C + 4 * B * T * C,
        `per input event one row of W (${C} floats); 4 flops per readout neuron-time; logits and their times written`,
      );
    }
    case "forward_maxpool": {
      const s = stage as PoolStage;
      const bytes = F * B * T * (s.from.words + s.words);
      return out(bytes, bytes, 0, "reads the source spike bitmask, writes the pooled one (bit operations, no flops)");
    }
    case "loss": {
      const C = plan.network.classes;
      const hidden = plan.stages.filter((s): s is LifStage => s.kind === "lif" && !s.countLogits).reduce((n, s) => n + s.layer.nOut, 0);
      // Logits and their times read, ∂L/∂logits written; per hidden neuron its count read and ∂penalty written.
      const bytes = F * B * (3 * C + 2 * hidden) + F * B;
      return out(bytes, bytes, B * (10 * C + 6 * hidden), "per sample: softmax over C classes (~10 flops each), per hidden neuron its spike count and penalty gradient (~6 flops)");
    }
    case "backward_sparse_lif":
    case "backward_sparse_readout": {
      const s = stage as LifStage | ReadoutStage;
      const N = s.layer.nOut;
      const E = inputEventsOf(s.input, a);
      const { perEvent, rows, wSize } = fanOut(s);
      const below = activeBelow(s.input, a);
      const act = s.kind === "lif" ? (a.layers.get(s.id) ?? { spikes: 0, active: 0 }) : { spikes: 0, active: 0 };
      const inputBytes = s.input.kind === "events" ? offsets + F * E : F * B * T * inputWords(s.input);
      // ∇W: per input event one row of grad W read and written (perEvent floats, 1 add each).
      const gStreamed = 2 * E * perEvent * F;
      const gUnique = s.layer.kind === "conv" ? Math.min(gStreamed, 2 * wSize * F) : 2 * cap(E, rows, perEvent * F);
      // ∂L/∂S below: per active entry of the layer below one row of W read (N floats, an FMA each), its ∂L/∂S written.
      const wRowsStreamed = below.active * N * F;
      const wRowsUnique = s.layer.kind === "conv" ? Math.min(wRowsStreamed, wSize * F) : cap(below.active, below.nIn, N * F);
      // This layer's active set: index, surrogate and ∂L/∂S per entry read; the readout reads ∂L/∂logits.
      const own = s.kind === "lif" ? F * (3 * act.active + B * (T + 1)) : F * B * N;
      // Per-thread gradient copies (CPU): threads−1 copies zeroed, then each added into the gradient.
      const reduce = 4 * F * (a.threads - 1) * (wSize + biasSize(s));
      const rest = inputBytes + F * below.active + own + reduce;
      return out(
        gUnique + wRowsUnique + rest,
        gStreamed + wRowsStreamed + rest,
        E * perEvent + 2 * below.active * N + 10 * act.active + (a.threads - 1) * (wSize + biasSize(s)),
        `per input event one row of ∇W read+written (${perEvent} floats); per active neuron-time below one row of W (${N} floats, FMA); per own active entry index/surrogate/∂L/∂S read (~10 flops); threads−1 gradient copies zeroed and reduced (4 accesses per weight each); δ decay between visited steps not counted`,
      );
    }
    case "backward_dense_lif":
    case "backward_dense_readout": {
      const s = stage as LifStage | ReadoutStage;
      const N = s.layer.nOut;
      const E = inputEventsOf(s.input, a);
      const { perEvent, rows, wSize } = fanOut(s);
      const nIn = s.input.kind === "events" ? 0 : s.layer.nIn;
      const inputBytes = s.input.kind === "events" ? offsets + F * E : F * B * T * inputWords(s.input);
      const gStreamed = 2 * E * perEvent * F;
      const gUnique = s.layer.kind === "conv" ? Math.min(gStreamed, 2 * wSize * F) : 2 * cap(E, rows, perEvent * F);
      // ∂L/∂S below at every neuron-time: per (b, t) all of W read (streamed), ∂L/∂S below read+written;
      // 2 flops per weight and (b, t), and a conv's weights once per output position (N / filters).
      const wStreamed = nIn > 0 ? B * T * wSize * F : 0;
      const wUnique = nIn > 0 ? wSize * F : 0;
      // Own per-neuron-time state: V trace and ∂L/∂S read (the readout: ∂L/∂logits only).
      const own = s.kind === "lif" ? 2 * F * B * T * N : F * B * N;
      const below = 2 * F * B * T * nIn;
      const reduce = 4 * F * (a.threads - 1) * (wSize + biasSize(s));
      const rest = inputBytes + own + below + reduce;
      return out(
        gUnique + wUnique + rest,
        gStreamed + wStreamed + rest,
        E * perEvent + (nIn > 0 ? 2 * B * T * wSize * (s.layer.kind === "conv" ? N / s.layer.filters : 1) : 0) + 10 * B * T * N + (a.threads - 1) * (wSize + biasSize(s)),
        `every neuron-time: V trace and ∂L/∂S read, ~10 flops (surrogate, δ); ∂L/∂S below = Wᵀδ at every (b, t) (2·nIn·N flops, W streamed B·T times, once in the floor); per input event one row of ∇W read+written; gradient copies reduced as in the sparse path`,
      );
    }
    case "backward_sparse_maxpool":
    case "backward_dense_maxpool": {
      const s = stage as PoolStage;
      const act = a.layers.get(s.from.id) ?? { spikes: 0, active: 0 };
      const bits = F * B * T * (s.from.words + s.words);
      const grads = k.kind === "backward_sparse_maxpool" ? 2 * F * act.active : 2 * F * B * T * (s.from.layer.nOut + s.layer.nOut);
      return out(bits + grads, bits + grads, 0, k.kind === "backward_sparse_maxpool" ? "spike bitmasks read; ∂L/∂S routed to the source's active entries (read + write)" : "spike bitmasks read; ∂L/∂S of every pooled and source neuron-time read/written");
    }
    case "grad_norm": {
      const P = plan.weights.reduce((n, w) => n + w.size, 0);
      return out(F * P, F * P, 2 * P, "every gradient read once, squared and summed");
    }
    case "adam": {
      const w = plan.weights.find((x) => x.name === k.weight);
      const P = w?.size ?? 0;
      return out(28 * P, 28 * P, 12 * P, "per parameter w, m, v, g read and w, m, v written (28 bytes), ~12 flops (moments, bias-corrected step, sqrt, divide)");
    }
  }
}

function inputWords(input: SpikeInput): number {
  if (input.kind === "events") return 0;
  return (input.from as LifStage | PoolStage).words;
}

/** `zero_gradients`: every weight gradient (and on the dense path every ∂L/∂S buffer) written once. */
export function zeroGradientsTraffic(plan: Plan, mode: "sparse" | "dense", batch: number): KernelTraffic {
  const P = plan.weights.reduce((n, w) => n + w.size, 0);
  const spikes = mode === "dense" ? plan.stages.filter((s): s is LifStage => s.kind === "lif").reduce((n, s) => n + batch * plan.network.steps * s.layer.nOut, 0) : 0;
  const bytes = F * (P + spikes);
  return { kernel: "zero_gradients", bytes, streamedBytes: bytes, flops: 0, model: "memset of every weight gradient (and, dense, every ∂L/∂S)" };
}

/** The model of every timed kernel; a name it does not know gets no line. */
export function stepTraffic(plan: Plan, names: string[], mode: "sparse" | "dense", a: StepActivity): Map<string, KernelTraffic> {
  const out = new Map<string, KernelTraffic>();
  for (const name of names) {
    if (name === "zero_gradients") {
      out.set(name, zeroGradientsTraffic(plan, mode, a.batch));
      continue;
    }
    const k = plan.kernels.find((x) => x.name === name);
    if (k) out.set(name, kernelTraffic(plan, k, a));
  }
  return out;
}

/** This machine's memory bandwidth, measured once per bench run. */
export interface Bandwidth {
  gbPerS: number;
  how: string;
}

/** One row of the kernel table: the model against the measured median. */
export interface RooflineRow {
  kernel: string;
  ms: number;
  /** Must-touch megabytes (10⁶ bytes) of the model. */
  mb: number;
  streamedMb: number;
  gflop: number;
  /** mb / ms = GB/s achieved on the must-touch bytes. */
  gbPerS: number;
  /** Of the measured bandwidth (null when none was measured, e.g. a CUDA backend). */
  pctOfBandwidth: number | null;
  /** streamedMb / ms = GB/s the kernel's loop read and wrote through the caches. */
  streamedGbPerS: number;
  /** Of the measured cache read bandwidth (null when none was measured). Above 100%: the streamed
   * rows came from a faster level (L1) than the one probed. */
  pctOfCache: number | null;
  /** The bound the model predicts: whichever of the floor bytes at the memory bandwidth
   * ("memory"), the streamed bytes at the cache bandwidth ("cache") and the flops at the peak
   * ("compute") takes longest; null without the memory bandwidth and the peak. */
  bound: "memory" | "cache" | "compute" | null;
}

export function rooflineRows(
  kernels: [string, number][],
  traffic: Map<string, KernelTraffic>,
  bandwidth: Bandwidth | null,
  peakGflops: number | null,
  cache: Bandwidth | null = null,
): RooflineRow[] {
  const rows: RooflineRow[] = [];
  for (const [kernel, ms] of kernels) {
    const t = traffic.get(kernel);
    if (!t) continue;
    const gbPerS = ms > 0 ? t.bytes / 1e6 / ms : NaN;
    const streamedGbPerS = ms > 0 ? t.streamedBytes / 1e6 / ms : NaN;
    let bound: RooflineRow["bound"] = null;
    if (bandwidth && peakGflops) {
      // Seconds each roof alone would allow; the longest is the bound.
      const roofs: [NonNullable<RooflineRow["bound"]>, number][] = [
        ["memory", t.bytes / (bandwidth.gbPerS * 1e9)],
        ["compute", t.flops / (peakGflops * 1e9)],
      ];
      if (cache) roofs.push(["cache", t.streamedBytes / (cache.gbPerS * 1e9)]);
      bound = roofs.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    }
    rows.push({
      kernel,
      ms,
      mb: t.bytes / 1e6,
      streamedMb: t.streamedBytes / 1e6,
      gflop: t.flops / 1e9,
      gbPerS,
      pctOfBandwidth: bandwidth ? (100 * gbPerS) / bandwidth.gbPerS : null,
      streamedGbPerS,
      pctOfCache: cache ? (100 * streamedGbPerS) / cache.gbPerS : null,
      bound,
    });
  }
  return rows;
}
