// Lowering: a validated, default-filled spec → the Network IR. Every derived constant is
// resolved here once (α = exp(−Δt/τ), reset amount, init bounds, readout input scale) so no
// later stage, and no kernel, ever recomputes one. Each layer is lowered by its kind's module
// (compiler/layers/).

import { createHash } from "node:crypto";
import type { ResolvedSpec } from "../spec/types.ts";
import { DEFAULT_TRAINING, resolveSchedule } from "../spec/defaults.ts";
import { layerKind } from "../layers/index.ts";
import { canonicalShape, inferShapes, shapeSize } from "../spec/shapes.ts";
import type { Layer, Network } from "./types.ts";
import { verifyNetwork } from "./verify.ts";

export function lowerSpec(spec: ResolvedSpec): Network {
  const dt = spec.time.dt_ms;
  const shapes = inferShapes(spec.input.shape, spec.layers);
  const layers: Layer[] = spec.layers.map((ls, index): Layer => {
    const { inShape, outShape } = shapes[index];
    const base = { id: `l${index + 1}`, index, inShape, outShape, nIn: shapeSize(inShape), nOut: shapeSize(outShape) };
    return layerKind(ls.kind).lower(ls, base, dt);
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
      size: shapeSize(spec.input.shape),
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
      weightDecay: spec.training.optimizer.kind === "adamw" ? spec.training.optimizer.weight_decay : 0,
      clipGradNorm: spec.training.clip_grad_norm ?? null,
      schedule: resolveSchedule(spec.training.schedule),
      validation: spec.training.validation ?? DEFAULT_TRAINING.validation,
      earlyStop: spec.training.early_stop ?? null,
      augment: { ...spec.training.augment },
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
