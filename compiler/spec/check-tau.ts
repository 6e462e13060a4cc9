// Rules on per-neuron τ (a tau_ms or tau_syn_ms written as a distribution) that the schema does
// not express: each init's own fields (and no other init's), a range inside [Δt, 1000·Δt] (the
// clamp of compiler/spec/tau.ts, which would otherwise silently move the draws), and where a
// per-neuron τ may be: a hidden layer (dense, conv) with leak. A readout keeps one τ; a layer
// with a bias keeps one α too (the sparse walk's closed-form ∇b over quiet steps needs the
// layer's propagator table, not implemented per neuron yet).

import { resolveNeuron } from "./defaults.ts";
import { pointerOf, type Finding } from "./problem.ts";
import { isTauDistribution, tauBounds } from "./tau.ts";
import type { NetworkSpec, NeuronParams, TauDistribution } from "./types.ts";

const FIELDS: Record<TauDistribution["init"], string[]> = {
  constant: ["value"],
  gamma: ["mean", "k"],
  uniform: ["min", "max"],
};

export function checkTau(spec: NetworkSpec): Finding[] {
  const found: Finding[] = [];
  const [lo, hi] = tauBounds(spec.time.dt_ms);
  const checkOne = (t: TauDistribution, at: string) => {
    const fields = FIELDS[t.init];
    const record = t as unknown as Record<string, unknown>;
    for (const f of fields)
      if (record[f] === undefined) found.push({ pointer: at, message: `a "${t.init}" τ needs "${f}"`, hint: `write ${fields.map((x) => `"${x}"`).join(" and ")}` });
    for (const f of Object.values(FIELDS).flat())
      if (!fields.includes(f) && record[f] !== undefined)
        found.push({ pointer: `${at}/${f}`, message: `"${f}" does not belong to a "${t.init}" τ`, hint: `a "${t.init}" τ takes ${fields.map((x) => `"${x}"`).join(" and ")}` });
    const inRange = (f: string) => {
      const v = record[f];
      if (typeof v === "number" && (v < lo || v > hi))
        found.push({
          pointer: `${at}/${f}`,
          message: `${f} = ${v} ms is outside [${lo}, ${hi}] ms, the range per-neuron τ is kept in (1 to 1000 steps of time.dt_ms = ${spec.time.dt_ms})`,
          hint: "drawn τ are clamped to it and a trained α stays in it",
        });
    };
    if (t.init === "constant") inRange("value");
    if (t.init === "gamma") inRange("mean");
    if (t.init === "uniform") {
      inRange("min");
      inRange("max");
      if (typeof t.min === "number" && typeof t.max === "number" && !(t.min < t.max))
        found.push({ pointer: `${at}/max`, message: `max (${t.max}) must be greater than min (${t.min})` });
    }
  };
  const visit = (n: Partial<NeuronParams> | undefined, at: string, allowed: string | null) => {
    for (const field of ["tau_ms", "tau_syn_ms"] as const) {
      const t = n?.[field];
      if (!isTauDistribution(t)) continue;
      if (allowed !== null) found.push({ pointer: `${at}/${field}`, message: `a per-neuron ${field} ${allowed}`, hint: `write one number for ${field} here` });
      else checkOne(t, `${at}/${field}`);
    }
  };
  const topNeuron = resolveNeuron(spec.neuron);
  let topUsedByReadout = false;
  spec.layers.forEach((layer, index) => {
    const at = pointerOf("layers", index);
    if (layer.kind === "dense" || layer.kind === "conv") {
      const n = resolveNeuron(spec.neuron, layer.neuron);
      const perNeuron = isTauDistribution(n.tau_ms) || isTauDistribution(n.tau_syn_ms);
      if (perNeuron && layer.bias === true)
        found.push({ pointer: `${at}/bias`, message: "a layer with per-neuron τ cannot have a bias yet", hint: "remove the bias or write one number for τ" });
      visit(layer.neuron, `${at}/neuron`, null);
      // Trained ALIF adaptation (learn_adapt): ρ per neuron, kept in α's range, and (as per-neuron τ)
      // no bias: the sparse walk's ∇b over quiet steps needs one propagator for the layer.
      if (n.learn_adapt === true && n.tau_adapt_ms !== undefined) {
        if (layer.bias === true) found.push({ pointer: `${at}/bias`, message: "a layer with trained adaptation (learn_adapt) cannot have a bias yet", hint: "remove the bias or learn_adapt" });
        if (n.tau_adapt_ms < lo || n.tau_adapt_ms > hi)
          found.push({
            pointer: layer.neuron?.tau_adapt_ms !== undefined ? `${at}/neuron/tau_adapt_ms` : "/neuron/tau_adapt_ms",
            message: `tau_adapt_ms = ${n.tau_adapt_ms} ms is outside [${lo}, ${hi}] ms, the range a trained ρ is kept in (1 to 1000 steps of time.dt_ms = ${spec.time.dt_ms})`,
            hint: "write a tau_adapt_ms in that range, or remove learn_adapt",
          });
      }
    } else if (layer.kind === "readout") {
      const own = layer.neuron?.learn_adapt === true;
      if (own || (layer.spiking === true && spec.neuron?.learn_adapt === true && layer.neuron?.learn_adapt === undefined))
        found.push({
          pointer: own ? `${at}/neuron/learn_adapt` : "/neuron/learn_adapt",
          message: "trained adaptation (learn_adapt) applies to hidden (dense, conv) layers only; a spiking readout keeps one ρ and β_a",
          hint: own ? "remove learn_adapt from the readout's neuron" : "write learn_adapt in the hidden layers' neuron instead of the top level",
        });
      visit(layer.neuron, `${at}/neuron`, "applies to hidden (dense, conv) layers only; a readout has one τ");
      if (layer.tau_ms === undefined) topUsedByReadout = true;
    }
  });
  if (topUsedByReadout && isTauDistribution(topNeuron.tau_ms))
    found.push({
      pointer: "/neuron/tau_ms",
      message: "the readout takes its tau_ms from the top-level neuron, and a readout has one τ, not a per-neuron one",
      hint: "give the readout its own tau_ms, or write the per-neuron τ in the hidden layers' neuron",
    });
  visit(spec.neuron, "/neuron", null);
  return found;
}
