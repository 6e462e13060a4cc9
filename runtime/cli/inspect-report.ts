// The readable report of `snnc inspect` and its `--json` twin: the network with every resolved
// constant, the shapes, the kernel plan (launch order of one training step) and the memory plan.
// Pure functions of the IR and the plan, so tests can check them without a process.

import type { Layer, Network, SpikingLayer, WeightedLayer, WeightTensor } from "../../compiler/ir/types.ts";
import { biasOf, isWeighted, spikingLayers } from "../../compiler/ir/layers.ts";
import type { BufferPlan, ForwardSchedule, Plan } from "../../compiler/plan/types.ts";
import { lifStages } from "../../compiler/plan/build-plan.ts";
import { layerLabel, shapeText, sig9 } from "./describe.ts";
import { initialWeights } from "../model/weight-init.ts";
import { decayStats } from "../model/decay-stats.ts";
import type { TauDistribution } from "../../compiler/spec/types.ts";
import { ROLE_ORDER, summariseMemory, type MemorySummary } from "./memory.ts";
import { formatBytes, formatCount, table } from "./table.ts";

export interface InspectInput {
  network: Network;
  /** The spec file as the user named it. */
  source: string;
  description?: string;
  /** The plan, or why there is none (PlanError's message). */
  plan: Plan | { error: string };
  /** The backend the plan was built for (its plan options), as the forward schedule names it. */
  backend?: string;
}

/** How one LIF stage's forward orders its work on the backend asked, and why. */
export interface ForwardRow {
  stage: string;
  forward: ForwardSchedule;
  why: string;
}

export interface InspectJson {
  network: Network;
  plan: { batch: number; backend?: string; forward: ForwardRow[]; kernels: Plan["kernels"]; steps: Plan["steps"]; buffers: BufferPlan[]; stepLaunch: Plan["stepLaunch"] } | null;
  memory: MemorySummary | null;
  /** Why `plan` is null. */
  planError?: string;
}

export function inspectJson(input: InspectInput): InspectJson {
  if ("error" in input.plan) return { network: input.network, plan: null, memory: null, planError: input.plan.error };
  const p = input.plan;
  return {
    network: input.network,
    plan: { batch: p.batch, backend: input.backend, forward: forwardRows(p), kernels: p.kernels, steps: p.steps, buffers: p.buffers, stepLaunch: p.stepLaunch },
    memory: summariseMemory(p),
  };
}

export function inspectText(input: InspectInput): string {
  const { network: net } = input;
  const out: string[] = [];
  const section = (title: string, body: string) => out.push(title, body, "");

  out.push(`${net.name} — ${input.source} (spec ${net.specHash.slice(0, 16)})`);
  if (input.description) out.push(...wrap(input.description, 98).map((l) => `  ${l}`));
  out.push("");
  section("Network", overview(net));
  section("Layers and shapes", shapes(net));
  const spiking = spikingLayers(net);
  if (spiking.length > 0) section("Neuron constants (α = exp(−Δt/τ), reset = V_th − V_r, active when |V − V_th| < B_th)", neurons(spiking));
  const perNeuron = perNeuronTaus(net);
  if (perNeuron) section(`Per-neuron τ at init (seed ${net.training.seed}; α per neuron, τ = −Δt/ln α, kept in [Δt, 1000·Δt])`, perNeuron);
  section("Readout", readout(net));
  section("Weight init (bound = scale/√fan_in: the half-width of a uniform init, the σ of a normal one)", inits(net));

  if ("error" in input.plan) {
    section("Kernel plan", `  unavailable: ${input.plan.error}`);
    section("Memory plan", "  unavailable: the memory plan is read off the kernel plan");
    return out.join("\n").trimEnd() + "\n";
  }
  const plan = input.plan;
  const mode = net.training.backward;
  const rows = forwardRows(plan);
  if (rows.length > 0)
    section(
      `Forward schedule of each LIF stage${input.backend ? ` (${input.backend} backend)` : ""}`,
      table(["layer", "forward", "why"], rows.map((r) => [r.stage, r.forward, r.why]), { indent: "  " }),
    );
  section(`Kernel plan: one training step with the ${mode} backward (the spec's), in launch order`, kernels(plan, mode));
  section("Step launch (CUDA only; --step-graph, --overlap-upload: experimental, not yet verified on a GPU)", stepLaunchText(plan.stepLaunch));
  const mem = summariseMemory(plan);
  section(`Memory plan at batch ${plan.batch}`, buffers(plan));
  section(`Memory totals at batch ${plan.batch}`, totals(mem));
  return out.join("\n").trimEnd() + "\n";
}

/** How the host launches a step: the plan's step launch options, each on or off with what it does. */
export function stepLaunchText(s: Plan["stepLaunch"]): string {
  return table(
    ["option", "state", "what"],
    [
      ["step graph", s.stepGraph ? "on" : "off", s.stepGraph ? "the step's launches captured once into a CUDA graph and replayed" : "one launch per kernel"],
      ["overlap upload", s.overlapUpload ? "on" : "off", s.overlapUpload ? "the next batch uploads from pinned memory while the step runs" : "each batch uploads before its step"],
    ],
    { indent: "  ", header: false },
  );
}

function overview(net: Network): string {
  const enc = net.input.encoding;
  const encText =
    enc.kind === "latency"
      ? `latency code (τ_eff ${enc.tauEffMs} ms = ${sig9(enc.tauEffSteps)} steps, θ ${enc.theta})`
      : `events in ${enc.binMs} ms bins`;
  const t = net.training;
  const lo = net.loss.activityLow;
  const up = net.loss.activityUp;
  const penalty = (p: { lambda: number; nu: number }) => (p.lambda === 0 ? "off" : `λ ${p.lambda}, ν ${p.nu}`);
  const rows: [string, string][] = [
    ["time", `T = ${net.steps} steps of Δt = ${net.dtMs} ms (${sig9(net.steps * net.dtMs)} ms)`],
    ["input", `${shapeText(net.input.shape)} = ${net.input.size} inputs, ${encText}, dataset ${net.input.dataset}`],
    ["classes", `${net.classes}`],
    ["loss", `softmax cross-entropy; low-activity penalty ${penalty(lo)}; high-activity penalty ${penalty(up)}`],
    [
      "training",
      `batch ${t.batch}, ${t.epochs} epochs, Adam lr ${t.adam.lr} β1 ${t.adam.beta1} β2 ${t.adam.beta2} ε ${t.adam.eps}, ` +
        `${t.backward} backward, seed ${t.seed}, active-set room ${sig9(t.activeCapacity * 100)}% of T·N`,
    ],
  ];
  return table(["", ""], rows, { indent: "  ", header: false });
}

function weightsOf(l: Layer): WeightTensor[] {
  return isWeighted(l) ? l.weights : [];
}

function shapes(net: Network): string {
  let params = 0;
  const rows = net.layers.map((l) => {
    const ws = weightsOf(l);
    const size = ws.reduce((a, w) => a + w.size, 0);
    params += size;
    return [l.id, layerLabel(l), shapeText(l.inShape), "→", shapeText(l.outShape), ws.map((w) => `${w.name} ${shapeText(w.shape)}`).join(", "), ws.length ? formatCount(size) : ""];
  });
  rows.push(["", "", "", "", "", "total", formatCount(params)]);
  return table(
    ["layer", "kind", "in", "", "out", "weights", { header: "parameters", align: "right" }],
    rows,
    { indent: "  " },
  );
}

function neurons(layers: SpikingLayer[]): string {
  // ALIF's adaptive threshold gets a column of its own, only in networks that have one.
  const adaptive = layers.some((l) => l.neuron.model === "alif");
  const rows = layers.map((l) => {
    const p = l.neuron;
    // τ "∞" is a layer without leak (integrate-and-fire, α = 1); reset is the mode and, for
    // subtract, the amount ("same step": subtracted before the next leak); τ_syn is that of CuBa synapses ("–": the current acts on V directly).
    // A per-neuron τ shows its distribution here (its drawn values in the section below).
    const tau = p.tauMs === null ? "∞ (no leak)" : p.tauPerNeuron ? `per neuron, ${tauLaw(p.tauPerNeuron)}` : sig9(p.tauMs);
    const reset = p.reset === "to_reset" ? "to V_r" : `− ${sig9(p.resetAmount)}${p.reset === "subtract_same_step" ? " same step" : ""}`;
    const tauSyn = p.model === "cuba-lif" ? (p.tauSynPerNeuron ? `per neuron, ${tauLaw(p.tauSynPerNeuron)}` : `${sig9(p.tauSynMs)} (α_syn ${sig9(p.alphaSyn)})`) : "–";
    // Trained adaptation (learn_adapt): the values above are where every neuron's ρ and β_a start.
    const trained = p.model === "alif" && p.learnAdapt ? `, trained per neuron (${l.weights.filter((w) => w.role === "rho" || w.role === "beta_adapt").map((w) => w.name).join(", ")})` : "";
    const adaptation = p.model === "alif" ? [`τ_adapt ${sig9(p.tauAdaptMs)} ms (ρ ${sig9(p.rho)}), β_a ${sig9(p.betaAdapt)}${trained}`] : adaptive ? ["–"] : [];
    return [l.id, p.model, tau, p.tauPerNeuron ? "per neuron" : sig9(p.alpha), sig9(p.vTh), sig9(p.vReset), sig9(p.vRest), reset, sig9(p.bTh), sig9(p.beta), tauSyn, ...adaptation, biasText(l)];
  });
  const headers = ["layer", "model", "τ ms", "α", "V_th", "V_r", "V_rest", "reset", "B_th", "β", "τ_syn ms", ...(adaptive ? ["threshold adaptation"] : []), "bias"];
  return table(headers, rows, { indent: "  " });
}

/** "b3 [10]" when the layer has a trained bias (initialised to 0), else "–". */
function biasText(l: WeightedLayer): string {
  const b = biasOf(l);
  return b ? `${b.name} [${b.shape.join("×")}], init 0` : "–";
}

function readout(net: Network): string {
  const ro = net.layers[net.layers.length - 1];
  if (ro.kind !== "readout") return "  (none)";
  const scale = ro.inputScaleMode === "one_minus_alpha" ? `1 − α = ${sig9(ro.inputScale)}` : "1";
  const logits = ro.logits === "max" ? "a_c = max_t V_c[t]" : ro.logits === "sum" ? "a_c = Σ_t V_c[t]" : "a_c = Σ_t S_c[t] (spikes; neuron above)";
  // A spiking readout's synapses are its neuron model's (cuba-lif), as on a hidden layer.
  const syn = ro.synapse ?? (ro.neuron?.model === "cuba-lif" ? ro.neuron : undefined);
  const tauSyn = syn ? `${sig9(syn.tauSynMs)} (α_syn ${sig9(syn.alphaSyn)})` : "–";
  return table(
    ["layer", "size", "τ ms", "α", "V_rest", "input scale", "logits", "τ_syn ms", "bias"],
    [[ro.id, ro.nOut, sig9(ro.tauMs), sig9(ro.alpha), sig9(ro.vRest), scale, logits, tauSyn, biasText(ro)]],
    { indent: "  " },
  );
}

function inits(net: Network): string {
  const rows = net.layers.flatMap((l) => weightsOf(l).map((w) => [l, w] as const)).map(([l, w]) => {
    const i = w.init;
    if (i.distribution === "zeros") return [w.name, l.id, "zeros", "–", "–", "–", "0", "0 (a bias starts at 0)"];
    if (w.role === "rho") return [w.name, l.id, "tau", "–", "–", "–", "–", `ρ = exp(−Δt/τ_adapt), τ_adapt ${tauLaw({ init: i.tau!.dist, learn: w.trainable !== false })}, in [ρ(Δt), ρ(1000·Δt)]`];
    if (i.distribution === "tau") return [w.name, l.id, "tau", "–", "–", "–", "–", `α = exp(−Δt/τ), τ ~ ${tauLaw({ init: i.tau!.dist, learn: w.trainable !== false })}`];
    if (i.distribution === "constant") return [w.name, l.id, "constant", "–", "–", "–", sig9(i.value!), `β_a = ${sig9(i.value!)} per neuron, trained, ≥ 0`];
    const law = i.distribution === "uniform" ? `U(−b, +b)` : `N(0, b²)`;
    return [w.name, l.id, i.distribution, sig9(i.scale), formatCount(i.fanIn), `${sig9(i.scale)}/√${i.fanIn}`, sig9(i.bound), law];
  });
  return table(["weight", "layer", "distribution", "scale", "fan_in", "b", "= bound", "law"], rows, { indent: "  " });
}

function kernels(plan: Plan, mode: "sparse" | "dense"): string {
  const byName = new Map(plan.kernels.map((k) => [k.name, k]));
  const rows = plan.steps[mode].map((name, k) => {
    const kp = byName.get(name)!;
    const grid = kp.grid === "batch" ? "per sample" : kp.grid === "sample-steps" ? "per sample·step" : "per weight";
    return [k + 1, name, grid, kp.what];
  });
  const other = mode === "sparse" ? "dense" : "sparse";
  const otherBackward = plan.steps[other].filter((n) => !plan.steps[mode].includes(n));
  return (
    table([{ header: "#", align: "right" }, "kernel", "parallel", "what it does"], rows, { indent: "  " }) +
    `\n  The ${other} backward runs ${otherBackward.join(", ")} in place of the ${mode} kernels.` +
    "\n  How the backward works:" +
    plan.kernels
      .filter((k) => k.kind === "forward_lif" || k.phase === `backward_${mode}`)
      .map((k) => k.kind)
      .filter((v, i, a) => a.indexOf(v) === i)
      .map((kind) => {
        const k = plan.kernels.find((x) => x.kind === kind)!;
        return `\n    ${kind.padEnd(23)} ${k.work}`;
      })
      .join("")
  );
}

function forwardRows(plan: Plan): ForwardRow[] {
  return lifStages(plan).map((s) => ({ stage: s.id, forward: s.forward, why: s.forwardWhy }));
}

function pathText(b: BufferPlan): string {
  return b.path === "both" ? "all" : b.path === "trace" ? "dense (V trace)" : b.path;
}

function buffers(plan: Plan): string {
  const rows: (string | (string | number)[])[] = [];
  for (const role of ROLE_ORDER) {
    const group = plan.buffers.filter((b) => b.role === role);
    if (group.length === 0) continue;
    const bytes = group.reduce((a, b) => a + b.bytes, 0);
    rows.push(`${role} (${formatBytes(bytes)})`);
    for (const b of group)
      rows.push([`  ${b.name}`, b.elem, formatCount(b.count), formatCount(b.bytes), formatBytes(b.bytes) + (b.growable ? " *" : ""), pathText(b), b.what]);
  }
  return (
    table(
      ["buffer", "type", { header: "elements", align: "right" }, { header: "bytes", align: "right" }, { header: "", align: "right" }, "backward", "what"],
      rows,
      { indent: "  " },
    ) + "\n  * initial capacity; grows at run time when a batch needs more room"
  );
}

function totals(m: MemorySummary): string {
  const rows = (["sparse", "dense"] as const).map((p) => [
    `${p} training path`,
    formatBytes(m[p].total),
    formatCount(m[p].total),
    formatBytes(m[p].backwardOnly),
    formatCount(m[p].backwardOnly),
  ]);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return (
    table(
      ["", { header: "all buffers", align: "right" }, { header: "bytes", align: "right" }, { header: "backward-only", align: "right" }, { header: "bytes", align: "right" }],
      rows,
      { indent: "  " },
    ) +
    `\n  sparse vs dense: ${pct(m.backwardSaving)} less backward-only memory, ${pct(m.totalSaving)} less in all` +
    ` (sparse counts are initial capacities at the spec's active-set room)`
  );
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** "gamma(mean 20, k 3), trained" and the like. */
function tauLaw(p: { init: TauDistribution; learn: boolean }): string {
  const d = p.init;
  const law = d.init === "constant" ? `${sig9(d.value)} ms` : d.init === "gamma" ? `gamma(mean ${sig9(d.mean)} ms, k ${sig9(d.k)})` : `U(${sig9(d.min)}, ${sig9(d.max)}) ms`;
  return `${law}, ${p.learn ? "trained" : "fixed"}`;
}

/** τ of every per-neuron decay tensor as the runtime draws it at init: min / mean / max per layer. */
function perNeuronTaus(net: Network): string | null {
  const init = initialWeights(net, net.training.seed);
  const rows: (string | number)[][] = [];
  for (const l of net.layers)
    for (const w of weightsOf(l)) {
      if (w.role !== "alpha" && w.role !== "alpha_syn" && w.role !== "rho") continue;
      const s = decayStats(init.get(w.name)!, net.dtMs);
      rows.push([w.name, l.id, w.role === "alpha" ? "τ" : w.role === "rho" ? "τ_adapt" : "τ_syn", sig4(s.min), sig4(s.mean), sig4(s.max), w.trainable === false ? "fixed" : "trained"]);
    }
  return rows.length ? table(["tensor", "layer", "of", "min ms", "mean ms", "max ms", ""], rows, { indent: "  " }) : null;
}

function sig4(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
