// Plan building: IR → the kernels of one training step and every buffer they need, sized at a
// given batch. The memory plan (`snnc inspect`) is read straight off `plan.buffers`.

import type { Layer, Network, ReadoutLayer } from "../ir/types.ts";
import type { BufferPath, BufferPlan, BufferRole, BufferScale, ElemType, HiddenStage, KernelPlan, Plan, PoolStage, ReadoutStage, SpikeInput } from "./types.ts";

/** The kernels keep a layer's state in registers, a few neurons per thread. */
export const MAX_LAYER_SIZE = 4096;
const MAX_BLOCK = 256;

export class PlanError extends Error {}

const BYTES: Record<ElemType, number> = { f32: 4, f64: 8, u32: 4, i32: 4 };

export function buildPlan(net: Network, batch = net.training.batch): Plan {
  const T = net.steps;
  const hidden: HiddenStage[] = [];
  const pools: PoolStage[] = [];
  // The spikes the next layer reads: flatten layers pass them through unchanged.
  let input: SpikeInput = { kind: "events" };
  for (const layer of net.layers) {
    if (layer.kind === "flatten" || layer.kind === "readout") continue;
    if (layer.kind === "maxpool") {
      if (input.kind !== "spikes" || input.from.kind !== "conv")
        throw new PlanError(`/layers/${layer.index}: a maxpool layer is generated only on the spikes of a conv layer`);
      pools.push({ layer, from: input.from, words: Math.ceil(layer.nOut / 32) });
      input = { kind: "spikes", from: layer };
      continue;
    }
    // Dense layers keep their state in CUDA registers; conv layers are CPU-only (any size).
    if (layer.kind === "dense" && layer.nOut > MAX_LAYER_SIZE)
      throw new PlanError(`/layers/${layer.index}: ${layer.nOut} neurons exceed the kernel limit of ${MAX_LAYER_SIZE} per layer`);
    const { block, perThread } = threads(Math.min(layer.nOut, MAX_LAYER_SIZE));
    hidden.push({
      layer,
      input,
      words: Math.ceil(layer.nOut / 32),
      perThread,
      block,
      activeCapacity: Math.max(1, Math.ceil(net.training.activeCapacity * T * layer.nOut)),
    });
    input = { kind: "spikes", from: layer };
  }
  const ro = net.layers[net.layers.length - 1] as ReadoutLayer;
  if (ro.nOut > MAX_LAYER_SIZE) throw new PlanError(`/layers/${ro.index}: readout of ${ro.nOut} exceeds ${MAX_LAYER_SIZE}`);
  const readout: ReadoutStage = { layer: ro, input, ...threads(ro.nOut) };

  const buffers = planBuffers(net, batch, hidden, pools, readout);
  const kernels = planKernels(hidden, pools, readout);
  const names = (kinds: string[]) => kernels.filter((k) => kinds.includes(k.kind)).map((k) => k.name);
  const forward = names(["forward_lif", "forward_maxpool", "forward_readout", "loss"]);
  // The backward walks the layers from the readout down: each layer's kernel fills the
  // ∇S of the layer below before that layer's kernel runs.
  const backward = (kind: "backward_sparse" | "backward_dense") =>
    kernels.filter((k) => k.kind === kind).map((k) => k.name).reverse();
  return {
    network: net,
    batch,
    hidden,
    pools,
    readout,
    kernels,
    buffers,
    steps: {
      sparse: [...forward, ...backward("backward_sparse"), ...names(["adam"])],
      dense: [...forward, ...backward("backward_dense"), ...names(["adam"])],
    },
  };
}

function threads(n: number): { block: number; perThread: number } {
  const block = Math.min(MAX_BLOCK, Math.ceil(n / 32) * 32);
  return { block, perThread: Math.ceil(n / block) };
}

/** The first layer a backend does not generate: conv layers (and so max-pools) are CPU-only so far. */
export function layerUnsupportedBy(net: Network, backend: string): Layer | undefined {
  return backend === "cpu" ? undefined : net.layers.find((l) => l.kind === "conv");
}

export function assertBackendSupports(plan: Plan, backend: string): void {
  const layer = layerUnsupportedBy(plan.network, backend);
  if (layer) throw new PlanError(`${layer.kind} layers are generated for the CPU backend only so far (/layers/${layer.index})`);
}

/** Hidden stages and pools in layer order. */
function stagesInOrder(hidden: HiddenStage[], pools: PoolStage[]): (HiddenStage | PoolStage)[] {
  return [...hidden, ...pools].sort((a, b) => a.layer.index - b.layer.index);
}

function planKernels(hidden: HiddenStage[], pools: PoolStage[], readout: ReadoutStage): KernelPlan[] {
  const k: KernelPlan[] = [];
  const stages = stagesInOrder(hidden, pools);
  for (const s of stages) {
    const id = s.layer.id;
    if (s.layer.kind === "maxpool") {
      const p = s as PoolStage;
      k.push({
        name: `forward_maxpool_${id}`,
        kind: "forward_maxpool",
        layer: id,
        what: `max-pool ${p.layer.size}×${p.layer.size} of the spikes of ${p.from.id} (${p.layer.nIn}→${p.layer.nOut}): an OR per window; records which active entries of ${p.from.id} receive a gradient`,
        grid: "batch",
        block: 256,
        work: "per spike of the layer below: one bit; per active entry below: one window",
      });
      continue;
    }
    const h = s as HiddenStage;
    const conv = h.layer.kind === "conv";
    k.push({
      name: `forward_lif_${id}`,
      kind: "forward_lif",
      layer: id,
      what: `${conv ? "conv " : ""}LIF forward of ${id} (${h.layer.nIn}→${h.layer.nOut}), time loop inside, records spikes and the active set`,
      grid: "batch",
      block: h.block,
      work: conv ? "per input spike: filters·k² outputs (scatter); per step: one LIF update per neuron" : "per input spike: one row of W; per step: one LIF update per neuron",
    });
  }
  const ro = readout.layer;
  k.push({
    name: `forward_readout_${ro.id}`,
    kind: "forward_readout",
    layer: ro.id,
    what: `readout forward of ${ro.id} (${ro.nIn}→${ro.nOut}), logits = ${ro.logits} over time`,
    grid: "batch",
    block: readout.block,
    work: "per input spike: one row of W",
  });
  k.push({
    name: "loss",
    kind: "loss",
    what: "softmax cross-entropy, activity penalties, ∂L/∂logits and ∂L/∂ζ",
    grid: "batch",
    block: 32,
    work: "per sample: C classes and every hidden neuron's spike count",
  });
  for (const mode of ["sparse", "dense"] as const) {
    for (const s of [...stages, readout]) {
      const layer = s.layer;
      if (layer.kind === "maxpool") {
        k.push({
          name: `backward_${mode}_maxpool_${layer.id}`,
          kind: mode === "sparse" ? "backward_sparse" : "backward_dense",
          layer: layer.id,
          what: `${mode} backward of ${layer.id}: ∂L/∂S of each pooled neuron to the first spiking input of its window (else its first input)`,
          grid: "batch",
          block: 256,
          work: mode === "sparse" ? "one copy per routed active entry" : "one window per pooled neuron-time",
        });
        continue;
      }
      const hiddenWork =
        mode === "sparse"
          ? "visits only steps with events (Prop. 1); ∇W per input spike, ∇S below only at active neuron-times"
          : "every step; full surrogate from the stored V; ∇S below at every neuron-time";
      k.push({
        name: `backward_${mode}_${layer.id}`,
        kind: mode === "sparse" ? "backward_sparse" : "backward_dense",
        layer: layer.id,
        what: `${mode} backward of ${layer.id}: δ recurrence, ∇W, ∇S of the layer below`,
        grid: "batch",
        block: layer.kind === "readout" ? readout.block : (s as HiddenStage).block,
        work: hiddenWork,
      });
    }
  }
  for (const layer of [...hidden.map((h) => h.layer), ro]) {
    k.push({
      name: `adam_${layer.weight.name}`,
      kind: "adam",
      layer: layer.id,
      what: `Adam update of ${layer.weight.name} (${layer.weight.size} weights)`,
      grid: "elements",
      block: 256,
      work: "one weight per thread",
    });
  }
  return k;
}

function planBuffers(net: Network, B: number, hidden: HiddenStage[], pools: PoolStage[], readout: ReadoutStage): BufferPlan[] {
  const T = net.steps;
  const out: BufferPlan[] = [];
  const add = (name: string, elem: ElemType, scale: BufferScale, role: BufferRole, path: BufferPath, what: string) => {
    const count =
      scale.kind === "fixed" ? fixedCount.get(name)! :
      scale.kind === "batch" ? scale.perSample * B + scale.extra :
      scale.kind === "active" ? B * hidden.find((h) => h.layer.id === scale.layer)!.activeCapacity :
      B * eventGuess;
    const growable = scale.kind === "active" || scale.kind === "events";
    out.push({ name, elem, count, bytes: count * BYTES[elem], role, path, growable, scale, what });
  };
  const fixedCount = new Map<string, number>();
  const fixed = (name: string, count: number): BufferScale => (fixedCount.set(name, count), { kind: "fixed" });
  const perSample = (n: number, extra = 0): BufferScale => ({ kind: "batch", perSample: n, extra });

  const nIn = net.input.size;
  // Latency coding fires each input at most once; event data starts at 5% and grows.
  const eventGuess = net.input.encoding.kind === "latency" ? nIn : Math.max(nIn, Math.ceil(0.05 * T * nIn));
  for (const layer of [...hidden.map((h) => h.layer), readout.layer]) {
    const w = layer.weight;
    add(w.name, "f32", fixed(w.name, w.size), "parameters", "both", `weights of ${layer.id} [${w.shape.join("×")}]`);
    add(`grad_${w.name}`, "f32", fixed(`grad_${w.name}`, w.size), "gradients", "both", `∂L/∂${w.name}`);
    add(`adam_m_${w.name}`, "f32", fixed(`adam_m_${w.name}`, w.size), "optimizer", "both", `Adam first moment of ${w.name}`);
    add(`adam_v_${w.name}`, "f32", fixed(`adam_v_${w.name}`, w.size), "optimizer", "both", `Adam second moment of ${w.name}`);
  }
  add("in_offsets", "u32", perSample(T, 1), "input", "both", "input events: start of each (sample, step)");
  add("in_indices", "u32", { kind: "events" }, "input", "both", "input events: input neuron of each event");
  add("labels", "i32", perSample(1), "input", "both", "class of each sample");

  for (const h of hidden) {
    const id = h.layer.id;
    const N = h.layer.nOut;
    const active: BufferScale = { kind: "active", layer: id };
    add(`spikes_${id}`, "u32", perSample(T * h.words), "forward", "both", `spike bitmask of ${id}, one bit per neuron-time`);
    add(`counts_${id}`, "i32", perSample(N), "forward", "both", `spike count ζ of each neuron of ${id} per sample`);
    add(`reg_grad_${id}`, "f32", perSample(N), "loss", "both", `∂L/∂ζ of ${id} (activity penalties)`);
    add(`act_offsets_${id}`, "u32", perSample(T + 1), "backward", "sparse", `active set of ${id}: start of each (sample, step)`);
    add(`act_index_${id}`, "u32", active, "backward", "sparse", `active set of ${id}: neuron of each active neuron-time`);
    add(`act_surr_${id}`, "f32", active, "backward", "sparse", `active set of ${id}: surrogate g(V) at each entry`);
    add(`act_grad_${id}`, "f32", active, "backward", "sparse", `active set of ${id}: ∂L/∂S from the layer above`);
    add(`vtrace_${id}`, "f32", perSample(T * N), "backward", "trace", `membrane V of ${id} at every neuron-time`);
    add(`grad_spikes_${id}`, "f32", perSample(T * N), "backward", "dense", `∂L/∂S of ${id} at every neuron-time`);
  }
  for (const p of pools) {
    const id = p.layer.id;
    // A pooled entry routes to one active entry of the layer below: it never needs more room.
    const active: BufferScale = { kind: "active", layer: p.from.id };
    add(`spikes_${id}`, "u32", perSample(T * p.words), "forward", "both", `pooled spike bitmask of ${id} (an OR over each window)`);
    add(`act_offsets_${id}`, "u32", perSample(T + 1), "backward", "sparse", `pooled neurons of ${id} whose window's gradient lands on an active entry of ${p.from.id}: start of each (sample, step)`);
    add(`act_index_${id}`, "u32", active, "backward", "sparse", `pooled neuron of each such entry`);
    add(`act_src_${id}`, "u32", active, "backward", "sparse", `the active entry of ${p.from.id} it routes to`);
    add(`act_grad_${id}`, "f32", active, "backward", "sparse", `∂L/∂S of the pooled neuron, from the layer above`);
    add(`grad_spikes_${id}`, "f32", perSample(T * p.layer.nOut), "backward", "dense", `∂L/∂S of ${id} at every pooled neuron-time`);
  }
  const C = readout.layer.nOut;
  add("logits", "f32", perSample(C), "loss", "both", "logits a = max_t V or Σ_t V of the readout");
  add("logit_time", "i32", perSample(C), "loss", "both", "the step that won max_t V (max logits)");
  add("grad_logits", "f32", perSample(C), "loss", "both", "∂L/∂logits");
  add("stats", "f64", fixed("stats", statsLength(hidden.length)), "loss", "both", "loss terms, correct count, spike and active counts read back per step");
  return out;
}

/** Layout of the stats buffer the host reads back after each step. */
export function statsLength(hiddenLayers: number): number {
  return 5 + 2 * hiddenLayers;
}

/** [C, H, W] of a spatial shape ([H, W] reads as [1, H, W]). */
export function chwOf(shape: number[]): [number, number, number] {
  if (shape.length === 3) return [shape[0], shape[1], shape[2]];
  if (shape.length === 2) return [1, shape[0], shape[1]];
  throw new PlanError(`internal error: ${JSON.stringify(shape)} is not a spatial shape`);
}
