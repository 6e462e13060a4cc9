// Cross-field rules on numbers the schema checks one at a time: thresholds against resets,
// encoder bins against the time step, a named dataset against the shapes it can feed, and every
// τ against the time step (check-decay.ts).

import { checkDecay } from "./check-decay.ts";
import { DATASETS, polarityChannels } from "./datasets.ts";
import { resolveNeuron } from "./defaults.ts";
import { pointerOf, type Finding } from "./problem.ts";
import { canonicalShape, formatShape, shapeSize } from "./shapes.ts";
import type { NetworkSpec, NeuronParams } from "./types.ts";

export function checkParams(spec: NetworkSpec): Finding[] {
  return [...checkThresholds(spec), ...checkEncoding(spec), ...checkDataset(spec), ...checkDecay(spec)];
}

function checkThresholds(spec: NetworkSpec): Finding[] {
  const found: Finding[] = [];
  const check = (effective: NeuronParams, written: Partial<NeuronParams> | undefined, at: (string | number)[]) => {
    if (effective.v_th > effective.v_reset) return;
    // Point at whichever of the two the user wrote at this level; the other may be inherited.
    const field = written?.v_th !== undefined ? "v_th" : "v_reset";
    found.push({
      pointer: pointerOf(...at, field),
      message: `v_th (${effective.v_th}) must be greater than v_reset (${effective.v_reset})`,
      hint: effective.reset === "to_reset" ? "a spike restarts the membrane from v_reset, which must lie below the threshold" : "a spike subtracts v_th − v_reset from the membrane",
    });
  };

  check(resolveNeuron(spec.neuron), spec.neuron, ["neuron"]);
  spec.layers.forEach((layer, index) => {
    if (layer.kind !== "dense" && layer.kind !== "conv") return;
    // A layer that changes neither value inherits the top-level verdict, reported once above.
    if (layer.neuron?.v_th === undefined && layer.neuron?.v_reset === undefined) return;
    check(resolveNeuron(spec.neuron, layer.neuron), layer.neuron, ["layers", index, "neuron"]);
  });
  return found;
}

function checkEncoding(spec: NetworkSpec): Finding[] {
  const enc = spec.input.encoding;
  if (enc.kind === "events" && enc.bin_ms !== spec.time.dt_ms) {
    return [
      {
        pointer: "/input/encoding/bin_ms",
        message: `must equal time.dt_ms (${spec.time.dt_ms}), got ${enc.bin_ms}`,
        hint: "events are binned one bin per time step",
      },
    ];
  }
  return [];
}

function checkDataset(spec: NetworkSpec): Finding[] {
  const name = spec.input.dataset;
  if (name === undefined || name === "synthetic") return [];
  const facts = DATASETS[name];
  const found: Finding[] = [];

  const shape = canonicalShape(spec.input.shape);
  const inputs = shapeSize(shape);
  const channels = facts.channelShape;
  if (channels && inputs === shapeSize(channels)) {
    // The polarity-channel form has one shape only: the loader writes channel c at (c·H + y)·W + x.
    if (!polarityChannels(name, shape)) {
      found.push({
        pointer: "/input/shape",
        message: `dataset "${name}" keeps its polarities as channels only with the shape ${formatShape(channels)}, got ${formatShape(spec.input.shape)}`,
        hint: `use ${formatShape(channels)}, or ${facts.shapes} for merged polarities`,
      });
    }
  } else if (inputs !== facts.inputs) {
    found.push({
      pointer: "/input/shape",
      message: `dataset "${name}" has ${facts.inputs} inputs, but this shape has ${inputs}`,
      hint: `use ${facts.shapes}${channels ? ` (polarities merged) or ${formatShape(channels)} (polarities as channels)` : ""}`,
    });
  }
  if (spec.input.encoding.kind !== facts.encoding) {
    found.push({
      pointer: "/input/encoding/kind",
      message: `dataset "${name}" needs the "${facts.encoding}" encoding, got "${spec.input.encoding.kind}"`,
    });
  }
  let readout = spec.layers.length - 1;
  while (readout >= 0 && spec.layers[readout].kind !== "readout") readout--;
  const layer = spec.layers[readout];
  if (layer?.kind === "readout" && layer.size !== facts.classes) {
    found.push({
      pointer: pointerOf("layers", readout, "size"),
      message: `dataset "${name}" has ${facts.classes} classes, but the readout has ${layer.size} outputs`,
    });
  }
  if (facts.minSteps && spec.time.steps < facts.minSteps.steps) {
    found.push({
      pointer: "/time/steps",
      message: `dataset "${name}" needs at least ${facts.minSteps.steps} steps, got ${spec.time.steps}`,
      hint: facts.minSteps.why,
    });
  }
  return found;
}
