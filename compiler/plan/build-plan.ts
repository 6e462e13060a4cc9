// Plan building: IR → the stages of one training step (one per layer kind that runs a kernel),
// their kernels, each phase's launch order, and every buffer they need, sized at a given batch.
// The memory plan (`snnc inspect`) is read straight off `plan.buffers`; the backends render
// `plan.launches` as they are.

import type { PlanOptions } from "./plan-options.ts";
import type { Network } from "../ir/types.ts";
import { weightedLayers, weightTensors } from "../ir/layers.ts";
import { layerKind } from "../layers/index.ts";
import { fixed, perSample, type BufferDef } from "../layers/kind.ts";
import { statsLayout } from "./stats-layout.ts";
import { resolveStepLaunch } from "./plan-options.ts";
import type { BufferPlan, ElemType, KernelPlan, LifStage, Phase, Plan, SpikeInput, Stage } from "./types.ts";

export { PlanError } from "./plan-error.ts";

const BYTES: Record<ElemType, number> = { f32: 4, f64: 8, u32: 4, i32: 4 };

export function buildPlan(net: Network, batch = net.training.batch, options: PlanOptions = {}): Plan {
  const stages: Stage[] = [];
  const stageBuffers: BufferDef[] = [];
  // The spikes the next layer reads: a layer without a stage (flatten) passes them through.
  let input: SpikeInput = { kind: "events" };
  for (const layer of net.layers) {
    const { stage, buffers, input: next } = layerKind(layer.kind).plan(layer, { net, input, options });
    stageBuffers.push(...buffers);
    if (!stage) {
      if (next) input = next;
      continue;
    }
    stages.push(stage);
    if (stage.kind !== "readout") input = { kind: "spikes", from: stage };
  }
  const weights = weightTensors(net);
  const lifIds = stages.flatMap((s) => (s.kind === "lif" ? [s.id] : []));
  const stats = statsLayout(lifIds);

  const loss: KernelPlan = {
    name: "loss",
    kind: "loss",
    phase: "forward",
    what: "softmax cross-entropy, activity penalties, ∂L/∂logits and ∂L/∂ζ",
    grid: "batch",
    work: "per sample: C classes and every hidden neuron's spike count",
  };
  // Clipping by the global norm needs every gradient before any weight moves: one reduction first.
  const gradNorm: KernelPlan[] =
    net.training.clipGradNorm === null
      ? []
      : [
          {
            name: "grad_norm",
            kind: "grad_norm",
            phase: "adam",
            what: `global L2 norm² of the gradients (${weights.length} tensors), for clipping at ${net.training.clipGradNorm}`,
            grid: "elements",
            work: "every gradient once, summed per block",
          },
        ];
  // A fixed per-neuron α (trainable false) is held and saved but never stepped.
  const adam: KernelPlan[] = weights.filter((w) => w.trainable !== false).map((w) => ({
    name: `adam_${w.name}`,
    kind: "adam",
    phase: "adam",
    weight: w.name,
    what: `Adam update of ${w.name} (${w.size} weights)`,
    grid: "elements",
    work: "one weight per thread",
  }));
  const ofPhase = (ss: Stage[], phase: Phase) => ss.flatMap((s) => s.kernels.filter((k) => k.phase === phase));
  // The backward walks the stages from the readout down: each stage's kernel fills the ∂L/∂S of
  // the stage below before that stage's kernel runs.
  const down = [...stages].reverse();
  const kernels = [
    ...ofPhase(stages, "forward"),
    loss,
    ...ofPhase(down, "backward_sparse"),
    ...ofPhase(down, "backward_dense"),
    ...gradNorm,
    ...adam,
  ];
  const names = (phase: Phase) => kernels.filter((k) => k.phase === phase).map((k) => k.name);
  const launches: Record<Phase, string[]> = {
    forward: names("forward"),
    backward_sparse: names("backward_sparse"),
    backward_dense: names("backward_dense"),
    adam: names("adam"),
  };

  const defs: BufferDef[] = [
    ...weightedLayers(net).flatMap((l) => l.weights.map((w) => [l.id, w] as const)).flatMap(([id, w]): BufferDef[] => [
      { name: w.name, elem: "f32", scale: fixed(w.size), role: "parameters", path: "both", what: `weights of ${id} [${w.shape.join("×")}]` },
      { name: `grad_${w.name}`, elem: "f32", scale: fixed(w.size), role: "gradients", path: "both", what: `∂L/∂${w.name}` },
      { name: `adam_m_${w.name}`, elem: "f32", scale: fixed(w.size), role: "optimizer", path: "both", what: `Adam first moment of ${w.name}` },
      { name: `adam_v_${w.name}`, elem: "f32", scale: fixed(w.size), role: "optimizer", path: "both", what: `Adam second moment of ${w.name}` },
    ]),
    { name: "in_offsets", elem: "u32", scale: perSample(net.steps, 1), role: "input", path: "both", what: "input events: start of each (sample, step)" },
    { name: "in_indices", elem: "u32", scale: { kind: "events" }, role: "input", path: "both", what: "input events: input neuron of each event" },
    { name: "labels", elem: "i32", scale: perSample(1), role: "input", path: "both", what: "class of each sample" },
    ...stageBuffers,
    { name: "stats", elem: "f64", scale: fixed(stats.length), role: "loss", path: "both", what: "loss terms, correct count, spike and active counts read back per step" },
  ];
  const buffers = defs.map((d) => sized(d, net, batch, stages));
  return {
    network: net,
    batch,
    stages,
    kernels,
    launches,
    steps: {
      sparse: [...launches.forward, ...launches.backward_sparse, ...launches.adam],
      dense: [...launches.forward, ...launches.backward_dense, ...launches.adam],
    },
    buffers,
    weights,
    stats,
    stepLaunch: resolveStepLaunch(options),
  };
}

/** Input events per sample the input buffer starts with: latency coding fires each input at most
 * once; event data starts at 5% of T·N and grows. */
export function initialEventsPerSample(net: Network): number {
  const n = net.input.size;
  return net.input.encoding.kind === "latency" ? n : Math.max(n, Math.ceil(0.05 * net.steps * n));
}

function sized(d: BufferDef, net: Network, B: number, stages: Stage[]): BufferPlan {
  const s = d.scale;
  const count =
    s.kind === "fixed" ? s.count :
    s.kind === "batch" ? s.perSample * B + s.extra :
    s.kind === "active" ? B * activeEntriesOf(stages, s.stage) :
    B * initialEventsPerSample(net);
  return { ...d, count, bytes: count * BYTES[d.elem], growable: s.kind === "active" || s.kind === "events" };
}

function activeEntriesOf(stages: Stage[], id: string): number {
  const stage = stages.find((s) => s.id === id);
  if (stage?.kind !== "lif") throw new Error(`internal error: no LIF stage ${id} for an active-set buffer`);
  return stage.activeEntries;
}

/** The LIF stages (spiking layers) of a plan, in layer order. */
export function lifStages(plan: Plan): LifStage[] {
  return plan.stages.filter((s): s is LifStage => s.kind === "lif");
}
