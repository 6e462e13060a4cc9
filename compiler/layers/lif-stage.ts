// The plan of a LIF layer, dense or conv alike: its kernels and buffers. Only the connectivity
// (a row of W per input spike, or the taps of a conv) differs, and the templates take it from
// the stage's `connectivity`.

import type { SpikingLayer } from "../ir/types.ts";
import { feedforward, recurrentWeight } from "../ir/layers.ts";
import type { KernelPlan, LifStage, SpikeInput } from "../plan/types.ts";
import { chooseForward, currentsBytesPerSample } from "../plan/forward-schedule.ts";
import { backwardKernels, perSample, type BufferDef, type PlanContext, type StagePlan } from "./kind.ts";

/** Per-sample active-set entries for a layer of `neurons` over `steps` at an initial room `fraction`
 * of all neuron-times; the host grows it when a batch needs more. */
export function activeEntries(fraction: number, steps: number, neurons: number): number {
  return Math.max(1, Math.ceil(fraction * steps * neurons));
}

export function inputName(input: SpikeInput): string {
  const source = input.kind === "spikes" ? `the spikes of ${input.from.id}` : "the input events";
  const pools = input.pools ?? [];
  return pools.length ? `${source}, sum-pooled by ${pools.map((p) => p.id).join(" then ")}` : source;
}

export function planLifStage(layer: SpikingLayer, ctx: PlanContext): StagePlan {
  const { net, input, options } = ctx;
  const T = net.steps;
  const id = layer.id;
  const conv = layer.kind === "conv";
  const readout = layer.kind === "readout";
  const rec = layer.kind !== "conv" ? recurrentWeight(layer) : undefined;
  const recWhat = rec ? `, its own spikes of step t fed back through ${rec.name}` : "";
  const schedule = chooseForward(layer, conv ? "conv" : "dense", rec !== undefined, T, options);
  const timeParallel = schedule.forward === "time-parallel";
  const kernels: KernelPlan[] = [
    // Time-parallel: every (sample, step) pair's input current at once, then the scan below reads them.
    ...(timeParallel ? [currentsKernel(layer, id)] : []),
    {
      name: `forward_lif_${id}`,
      kind: "forward_lif",
      phase: "forward",
      stage: id,
      what: timeParallel
        ? `${readout ? "spiking readout " : ""}LIF forward of ${id} (${layer.nIn}→${layer.nOut}): each neuron's scan over the steps on the currents of currents_${id}, records spikes and the active set`
        : `${conv ? "conv " : readout ? "spiking readout " : ""}LIF forward of ${id} (${layer.nIn}→${layer.nOut})${recWhat}, time loop inside, records spikes and the active set`,
      grid: "batch",
      work: timeParallel
        ? "per step: one read of the step's current and one LIF update per neuron"
        : conv ? "per input spike: filters·k² outputs (scatter); per step: one LIF update per neuron" : "per input spike: one row of W; per step: one LIF update per neuron",
    },
    ...backwardKernels(id, "lif", `δ recurrence, ∇W${rec ? `, ∇${rec.name} and the recurrent ∂L/∂S of ${id}` : ""}, ∇S of the layer below`, {
      sparse: "visits only steps with events (Prop. 1); ∇W per input spike, ∇S below only at active neuron-times",
      dense: "every step; full surrogate from the stored V; ∇S below at every neuron-time",
    }),
  ];
  const stage: LifStage = {
    kind: "lif",
    id,
    layer,
    connectivity: conv ? "conv" : "dense",
    input,
    words: Math.ceil(layer.nOut / 32),
    activeEntries: activeEntries(net.training.activeCapacity, T, layer.nOut),
    weights: rec ? [feedforward(layer), rec] : [feedforward(layer)],
    recurrent: rec ?? null,
    countLogits: readout,
    inputScale: readout ? layer.inputScale : 1,
    ...forwardOf(schedule),
    kernels,
  };
  const N = layer.nOut;
  const active = { kind: "active", stage: id } as const;
  const buffers: BufferDef[] = [
    { name: `spikes_${id}`, elem: "u32", scale: perSample(T * stage.words), role: "forward", path: "both", what: `spike bitmask of ${id}, one bit per neuron-time` },
    { name: `counts_${id}`, elem: "i32", scale: perSample(N), role: "forward", path: "both", what: `spike count ζ of each neuron of ${id} per sample` },
    { name: `reg_grad_${id}`, elem: "f32", scale: perSample(N), role: "loss", path: "both", what: `∂L/∂ζ of ${id} (activity penalties)` },
    { name: `act_offsets_${id}`, elem: "u32", scale: perSample(T + 1), role: "backward", path: "sparse", what: `active set of ${id}: start of each (sample, step)` },
    { name: `act_index_${id}`, elem: "u32", scale: active, role: "backward", path: "sparse", what: `active set of ${id}: neuron of each active neuron-time` },
    { name: `act_surr_${id}`, elem: "f32", scale: active, role: "backward", path: "sparse", what: `active set of ${id}: surrogate g(V) at each entry` },
    { name: `act_grad_${id}`, elem: "f32", scale: active, role: "backward", path: "sparse", what: `active set of ${id}: ∂L/∂S from the layer above` },
    { name: `vtrace_${id}`, elem: "f32", scale: perSample(T * N), role: "backward", path: "trace", what: `membrane V of ${id} at every neuron-time` },
    { name: `grad_spikes_${id}`, elem: "f32", scale: perSample(T * N), role: "backward", path: "dense", what: `∂L/∂S of ${id} at every neuron-time` },
    // Trained per-neuron decays (docs/design.md §2.1): the forward traces whose products with the
    // backward's injections are ∂L/∂α and ∂L/∂α_syn, at the active entries and (for the dense
    // backward) at every neuron-time.
    ...decayTraceBuffers(layer, id, T, N),
    // The scan writes the active set in place (one block per sample, entries in step then neuron
    // order), so the currents are the only extra buffer of a time-parallel stage.
    ...(timeParallel
      ? [{ name: `currents_${id}`, elem: "f32", scale: perSample(currentsBytesPerSample(T, N) / 4), role: "forward", path: "both", what: `input current of ${id} for every step but the last (time-parallel forward)` } satisfies BufferDef]
      : []),
  ];
  return { stage, buffers };
}

/** The first kernel of a time-parallel stage: I[b, t, :] for every (sample, step) pair, t < T − 1. */
function currentsKernel(layer: SpikingLayer, id: string): KernelPlan {
  return {
    name: `forward_currents_${id}`,
    kind: "forward_lif_currents",
    phase: "forward",
    stage: id,
    what: `input currents of ${id} (${layer.nIn}→${layer.nOut}) for every (sample, step) pair at once, into currents_${id}`,
    grid: "sample-steps",
    work: "per input spike of the pair: one row of W (in event order, as step by step)",
  };
}

function forwardOf(c: ReturnType<typeof chooseForward>): Pick<LifStage, "forward" | "forwardWhy"> {
  return { forward: c.forward, forwardWhy: c.why };
}

function decayTraceBuffers(layer: SpikingLayer, id: string, T: number, N: number): BufferDef[] {
  const active = { kind: "active", stage: id } as const;
  const out: BufferDef[] = [];
  for (const [role, what] of [["alpha", "P = ∂V/∂α"], ["alpha_syn", "B = ∂V/∂α_syn"], ["rho", "−β_a·P_a = −β_a·∂a/∂ρ"], ["beta_adapt", "−a"]] as const) {
    const t = layer.weights.find((w) => w.role === role);
    if (!t || t.trainable === false) continue;
    out.push(
      { name: `act_trace_${role}_${id}`, elem: "f32", scale: active, role: "backward", path: "sparse", what: `active set of ${id}: the trace ${what} at each entry (∇${t.name})` },
      { name: `trace_${role}_${id}`, elem: "f32", scale: perSample(T * N), role: "backward", path: "trace", what: `the trace ${what} of ${id} at every neuron-time (∇${t.name}, dense backward)` },
    );
  }
  return out;
}
