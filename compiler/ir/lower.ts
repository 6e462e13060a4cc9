// Lowering: a validated, default-filled spec → the Network IR. Every derived constant is
// resolved here once (α = exp(−Δt/τ), reset amount, init bounds, readout input scale) so no
// later stage, and no kernel, ever recomputes one.

import { createHash } from "node:crypto";
import type { InitSpec, NeuronParams, ResolvedSpec } from "../spec/types.ts";
import { canonicalShape, inferShapes } from "../spec/shapes.ts";
import type { Layer, LifParams, Network, WeightInit, WeightTensor } from "./types.ts";
import { verifyNetwork } from "./verify.ts";

export function lowerSpec(spec: ResolvedSpec): Network {
  const dt = spec.time.dt_ms;
  const shapes = inferShapes(spec.input.shape, spec.layers);
  const layers: Layer[] = spec.layers.map((ls, index): Layer => {
    const { inShape, outShape } = shapes[index];
    const base = { id: `l${index + 1}`, index, inShape, outShape, nIn: product(inShape), nOut: product(outShape) };
    switch (ls.kind) {
      case "dense":
        return {
          ...base,
          kind: "dense",
          lif: lif(ls.neuron, dt),
          weight: weight(index, [base.nIn, base.nOut], ls.init, base.nIn),
        };
      case "conv": {
        const channels = inShape[0];
        const fanIn = channels * ls.kernel * ls.kernel;
        return {
          ...base,
          kind: "conv",
          filters: ls.filters,
          kernel: ls.kernel,
          stride: ls.stride,
          padding: ls.padding,
          lif: lif(ls.neuron, dt),
          weight: weight(index, [ls.filters, channels, ls.kernel, ls.kernel], ls.init, fanIn),
        };
      }
      case "maxpool":
        return { ...base, kind: "maxpool", size: ls.size };
      case "flatten":
        return { ...base, kind: "flatten" };
      case "readout": {
        const alpha = Math.exp(-dt / ls.tau_ms);
        return {
          ...base,
          kind: "readout",
          tauMs: ls.tau_ms,
          alpha,
          vRest: ls.v_rest,
          logits: ls.logits,
          inputScaleMode: ls.input_scale,
          inputScale: ls.input_scale === "one_minus_alpha" ? 1 - alpha : 1,
          weight: weight(index, [base.nIn, base.nOut], ls.init, base.nIn),
        };
      }
    }
  });

  const enc = spec.input.encoding;
  const [beta1, beta2] = spec.training.optimizer.betas;
  const net: Network = {
    name: spec.name,
    specHash: hashSpec(spec),
    steps: spec.time.steps,
    dtMs: dt,
    input: {
      shape: canonicalShape(spec.input.shape),
      size: product(spec.input.shape),
      encoding:
        enc.kind === "latency"
          ? { kind: "latency", tauEffMs: enc.tau_eff_ms, tauEffSteps: enc.tau_eff_ms / dt, theta: enc.theta }
          : { kind: "events", binMs: enc.bin_ms },
      dataset: spec.input.dataset,
    },
    layers,
    classes: layers[layers.length - 1].nOut,
    loss: { activityLow: { ...spec.loss.activity_low }, activityUp: { ...spec.loss.activity_up } },
    training: {
      batch: spec.training.batch,
      epochs: spec.training.epochs,
      adam: { lr: spec.training.optimizer.lr, beta1, beta2, eps: spec.training.optimizer.eps },
      backward: spec.training.backward,
      seed: spec.training.seed,
      activeCapacity: spec.training.active_capacity,
    },
  };
  verifyNetwork(net);
  return net;
}

/** sha256 of the resolved spec with keys sorted, so formatting and key order never matter. The
 *  prose (`description`) and the editor hint (`$schema`) are left out: they change no kernel, so
 *  editing them must not rebuild anything nor orphan a checkpoint. */
export function hashSpec(spec: ResolvedSpec): string {
  const { description: _description, ...rest } = spec as ResolvedSpec & { $schema?: string };
  delete (rest as { $schema?: string }).$schema;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/** The spec hash as it was computed before `description` was left out (checkpoints written then
 *  carry it; runtime/checkpoint accepts it for the same spec). */
export function hashSpecWithDescription(spec: ResolvedSpec): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function lif(n: NeuronParams, dt: number): LifParams {
  return {
    tauMs: n.tau_ms,
    alpha: Math.exp(-dt / n.tau_ms),
    vTh: n.v_th,
    vReset: n.v_reset,
    vRest: n.v_rest,
    resetAmount: n.v_th - n.v_reset,
    bTh: n.b_th,
    beta: n.surrogate_beta,
  };
}

function weight(index: number, shape: number[], init: InitSpec, fanIn: number): WeightTensor {
  const resolved: WeightInit = {
    distribution: init.distribution,
    scale: init.scale,
    fanIn,
    bound: init.scale / Math.sqrt(fanIn),
  };
  return { name: `w${index + 1}`, shape, size: product(shape), init: resolved };
}

export function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
