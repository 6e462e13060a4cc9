// Which framework wrote a NIR file decides how it must be read (docs/design.md §8): NIR stores
// neither dt nor the reset, and the frameworks' own simulators differ from NIR's definition and
// from each other in the discretisation, the input gain and the reset. Each preset below is that
// framework's simulator as its source says (the file named beside it). `snnc import --from <name>`
// takes the preset, a low-level flag (--discretization, --reset, --if-gain, --input-gain, --dt-ms)
// overrides its one field, and without --from the file's metadata names the exporter where it
// says it; otherwise NIR's own definition is assumed, and said.

import type { ResetMode } from "../spec/types.ts";
import { NIR_GAIN, type Conventions, type Discretization, type IfGain, type InputGain } from "./conventions.ts";
import { NirUsageError, type NirGraph, type NirValue } from "./graph.ts";
import { SPEC_KEY } from "./import/snnc-metadata.ts";

export const FRAMEWORKS = ["snntorch", "norse", "sinabs", "rockpool", "spyx", "lava", "snnc"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

interface Preset {
  display: string;
  discretization: Discretization;
  reset: ResetMode;
  ifGain: IfGain;
  inputGain: InputGain;
  /** The step the file's τ are counted in, when --dt-ms is not given, and why it is that one. */
  dt: (graph: NirGraph) => { ms: number; why: string };
}

const ONE: InputGain = Object.freeze({ lif: "one", li: "one", synapse: "one" });
const steps = (who: string) => () => ({ ms: 1000, why: `${who} counts τ in time steps, so one step is one unit of the file's τ` });
const defaultStep = (who: string, ms: number) => () => ({ ms, why: `${who}'s default step; give --dt-ms if the model ran at another` });

const PRESETS: Record<Exclude<Framework, "snnc">, Preset> = {
  // snntorch/_neurons/leaky.py, synaptic.py, rsynaptic.py: mem = β·mem + W·x − reset·θ and
  // syn = α·syn + W·x, the reset computed from the previous step's mem (reset_delay=True, the
  // default) or subtracted in the step of the spike (reset_delay=False); reset_mechanism "zero"
  // zeroes mem instead. export_nir.py writes τ = dt/(1 − β), r = τ/dt, w_in = τ_syn/dt: Euler
  // gives β back, and the input gain is 1.
  snntorch: { display: "snnTorch", discretization: "euler", reset: "subtract", ifGain: "per-step", inputGain: ONE, dt: snntorchDt },
  // norse/torch/functional/lif_box.py (LIF), lif.py (CubaLIF), leaky_integrator_box.py (LI),
  // iaf.py (IF): v += dt/τ·(v_leak − v + I), Euler with r = 1 (NIR's gain); the synaptic current
  // takes the input as it is; a spike restarts v from v_reset in its own step; IAF v += x.
  norse: { display: "Norse", discretization: "euler", reset: "to_reset", ifGain: "per-step", inputGain: { lif: "nir", li: "nir", synapse: "one" }, dt: defaultStep("Norse", 1) },
  // sinabs/layers/functional/lif.py with layers/lif.py, activation/reset_mechanism.py and
  // layers/exp_leak.py: α = exp(−1/τ) with τ in time steps; a LIF's input is scaled by 1 − α
  // (norm_input, its default), an ExpLeak's (LI) is not, IAF v += x; the threshold is subtracted
  // in the step of the spike (MembraneSubtract).
  sinabs: { display: "Sinabs", discretization: "exact", reset: "subtract_same_step", ifGain: "per-step", inputGain: { lif: "nir", li: "one", synapse: "nir" }, dt: steps("Sinabs") },
  // rockpool/nn/modules/torch/lif_neuron_torch.py (LIF), lif_torch.py (CubaLIF), exp_syn_torch.py
  // (LI): vmem = exp(−dt/τ)·vmem + x, isyn = exp(−dt/τ_syn)·(isyn + x) feeding vmem, and
  // vmem −= θ·spikes in the step of the spike; nir.py's r = τ·exp(−dt/τ)/dt is not used.
  rockpool: { display: "Rockpool", discretization: "exact", reset: "subtract_same_step", ifGain: "per-step", inputGain: { lif: "one", li: "one", synapse: "alpha_syn" }, dt: defaultStep("Rockpool", 1) },
  // spyx/nn.py: spikes = H(V − θ) of V before the update, then V = β·V + x − θ·spikes (snnc's own
  // subtract and timing); nir.py writes τ = dt/(1 − β) with dt = 1 by default.
  spyx: { display: "Spyx", discretization: "euler", reset: "subtract", ifGain: "per-step", inputGain: ONE, dt: steps("Spyx (dt = 1)") },
  // lava/proc/lif/models.py: u = u·(1 − du) + a_in, v = v·(1 − dv) + u + bias, v = 0 after a spike
  // (the Dense before it delivers the previous step's spikes: snnc's timing); lava-dl's NIR reader
  // and writer (lava/lib/dl/netx/nir_lava.py) take τ_syn = 1/du, τ_mem = 1/dv in time steps.
  lava: { display: "Lava", discretization: "euler", reset: "to_reset", ifGain: "per-step", inputGain: ONE, dt: steps("Lava") },
};

export function displayName(f: Framework): string {
  return f === "snnc" ? "snnc" : PRESETS[f].display;
}

/** What the user asked for; every field optional. */
export interface ConventionRequest {
  from?: Framework;
  dtMs?: number;
  discretization?: Discretization;
  reset?: ResetMode;
  ifGain?: IfGain;
  /** The same mode for every node kind. */
  inputGain?: "nir" | "one";
}

export interface ResolvedConventions {
  conventions: Conventions;
  /** Whose conventions (null: nobody named, NIR's definition assumed). */
  exporter: Framework | null;
  /** How the exporter was found. */
  how: "--from" | "metadata" | null;
  /** Lines to tell the user beside the one that describes the conventions. */
  notes: string[];
}

export function resolveConventions(graph: NirGraph, req: ConventionRequest): ResolvedConventions {
  const named = req.from ?? exporterFromMetadata(graph);
  const how = req.from ? "--from" : named ? "metadata" : null;
  const notes: string[] = [];
  let base: Omit<Preset, "display" | "dt"> & { dtMs?: number };
  let dtWhy = "";
  if (named === "snnc") {
    base = snncPreset(graph);
    dtWhy = "the step snnc exported it for (its metadata)";
  } else if (named) {
    const p = PRESETS[named];
    // A --reset given wins: the file's word on snnTorch's reset is then neither needed nor said.
    base = { ...p, ...(named === "snntorch" && req.reset === undefined ? snntorchReset(graph, notes) : {}) };
    if (req.dtMs === undefined) ({ ms: base.dtMs, why: dtWhy } = p.dt(graph));
  } else base = { discretization: "exact", reset: "subtract", ifGain: "literal", inputGain: NIR_GAIN };
  if (how === "metadata") notes.push(`the file's metadata names its exporter: ${displayName(named!)}`);
  const dtMs = req.dtMs ?? base.dtMs;
  if (dtMs === undefined)
    throw new NirUsageError(
      `--dt-ms is required: NIR files do not store the step they were simulated at, and this one does not say which framework wrote it (name it with --from ${FRAMEWORKS.join("|")}, or give --dt-ms)`,
    );
  if (req.dtMs === undefined) notes.push(`dt = ${dtMs} ms: ${dtWhy}`);
  const conventions: Conventions = {
    dtMs,
    discretization: req.discretization ?? base.discretization,
    reset: req.reset ?? base.reset,
    ifGain: req.ifGain ?? base.ifGain,
    inputGain: req.inputGain ? { lif: req.inputGain, li: req.inputGain, synapse: req.inputGain } : base.inputGain,
  };
  if (!named) notes.push(`the file does not say which framework wrote it, so NIR's own definitions were assumed: name its exporter with --from ${FRAMEWORKS.join("|")}`);
  return { conventions, exporter: named, how, notes };
}

const text = (v: NirValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);
const number = (v: NirValue | undefined): number | undefined => (typeof v === "object" && v.data.length === 1 ? v.data[0] : undefined);

/** snnc's own files carry their spec (`snnc_spec`); another exporter may name itself under one of
 *  these graph metadata keys ("snntorch", "rockpool 2.7", …). */
const EXPORTER_KEYS = ["framework", "exporter", "source", "library"];

export function exporterFromMetadata(graph: NirGraph): Framework | null {
  const m = graph.metadata;
  if (typeof m[SPEC_KEY] === "string") return "snnc";
  for (const key of EXPORTER_KEYS) {
    const v = text(m[key])?.toLowerCase();
    const f = v === undefined ? undefined : FRAMEWORKS.find((name) => v.includes(name));
    if (f) return f;
  }
  return null;
}

/** The conventions an snnc export recorded in the graph's metadata (run-export.ts writes them). */
function snncPreset(graph: NirGraph): Omit<Preset, "display" | "dt"> & { dtMs?: number } {
  const m = graph.metadata;
  const discretization = text(m.discretization);
  const reset = text(m.reset);
  if (typeof m[SPEC_KEY] !== "string" || (discretization !== "exact" && discretization !== "euler") || reset === undefined)
    throw new NirUsageError("--from snnc: the file has no snnc metadata (dt_ms, discretization, reset), so snnc did not export it; name the framework that did");
  const gain = text(m.input_gain) === "one" ? "one" : "nir";
  return {
    dtMs: number(m.dt_ms),
    discretization,
    reset: reset as ResetMode,
    ifGain: text(m.if_gain) === "per-step" ? "per-step" : "literal",
    inputGain: { lif: gain, li: gain, synapse: gain },
  };
}

/** snnTorch's reset as the file says it, in the graph's or a neuron node's metadata: `reset_delay`
 *  false is the same-step subtraction, `reset_mechanism` "zero" the reset to 0 (snnc's to_reset). */
function snntorchReset(graph: NirGraph, notes: string[]): { reset: ResetMode } | object {
  const metas = [graph.metadata, ...[...graph.nodes.values()].map((n) => n.metadata ?? {})];
  const said = (key: string) => metas.map((m) => m[key]).find((v) => v !== undefined);
  const mechanism = text(said("reset_mechanism"))?.toLowerCase();
  if (mechanism === "none") throw new NirUsageError('the file says reset_mechanism "none": snnc\'s spiking neurons always reset (use --reset to choose one)');
  if (mechanism === "zero") {
    notes.push('the file says reset_mechanism "zero": reset to_reset (to v_reset = 0)');
    return { reset: "to_reset" };
  }
  const delay = said("reset_delay");
  const off = typeof delay === "string" ? /^(false|0)$/i.test(delay) : number(delay) === 0;
  if (delay !== undefined && off) {
    notes.push("the file says reset_delay=False: reset subtract_same_step");
    return { reset: "subtract_same_step" };
  }
  return {};
}

/** snnTorch's export_nir.py writes r = τ/dt, so the file holds its step: dt = τ/r (0.1 ms, the
 *  dt it hard-codes, if no LIF or CubaLIF says otherwise). */
function snntorchDt(graph: NirGraph): { ms: number; why: string } {
  for (const [name, node] of graph.nodes) {
    const tau = number(firstOf(node.params[node.type === "CubaLIF" ? "tau_mem" : "tau"]));
    const r = number(firstOf(node.params.r));
    if ((node.type === "LIF" || node.type === "CubaLIF") && tau !== undefined && r !== undefined && tau > 0 && r > 0)
      return { ms: Number(((1000 * tau) / r).toPrecision(6)), why: `snnTorch writes r = τ/dt, and node "${name}" has τ/r = ${Number(((1000 * tau) / r).toPrecision(6))} ms` };
  }
  return { ms: 0.1, why: "snnTorch's exporter writes its τ for dt = 1e-4 s" };
}

function firstOf(v: NirValue | undefined): NirValue | undefined {
  return typeof v === "object" && v.data.length > 0 ? { ...v, shape: [], data: v.data.subarray(0, 1) } : v;
}
