// Cross-layer rules the schema cannot express: exactly one readout and it comes last, shapes
// that fit together, and the size limits the kernels rely on.

import { MAX_LAYER_NEURONS, MAX_TOTAL_WEIGHTS } from "./limits.ts";
import { pointerOf, type Finding } from "./problem.ts";
import { checkShapes, shapeSize, type LayerShapes } from "./shapes.ts";
import type { NetworkSpec } from "./types.ts";

export function checkLayers(spec: NetworkSpec): Finding[] {
  return [...checkReadout(spec), ...checkShapesAndLimits(spec)];
}

function checkReadout(spec: NetworkSpec): Finding[] {
  const found: Finding[] = [];
  const at = spec.layers.flatMap((l, i) => (l.kind === "readout" ? [i] : []));
  if (at.length === 0) {
    return [
      {
        pointer: "/layers",
        message: "the network has no readout layer",
        hint: `add {"kind": "readout", "size": <number of classes>} as the last layer`,
      },
    ];
  }
  if (at.length > 1) {
    const where = at.map((i) => pointerOf("layers", i));
    found.push({
      pointer: where[0],
      message: `there must be exactly one readout layer, found ${at.length} (at ${where.slice(0, -1).join(", ")} and ${where[where.length - 1]})`,
      hint: "keep only the last one",
    });
  }
  const last = at[at.length - 1];
  if (last !== spec.layers.length - 1) {
    found.push({ pointer: pointerOf("layers", last), message: "the readout layer must be the last layer" });
  }
  return found;
}

function checkShapesAndLimits(spec: NetworkSpec): Finding[] {
  const check = checkShapes(spec.input.shape, spec.layers);
  const found: Finding[] = check.problems.map((p) => ({
    pointer: pointerOf("layers", p.layer),
    message: p.message,
    ...(p.hint ? { hint: p.hint } : {}),
  }));

  const inputSize = shapeSize(check.input);
  if (inputSize > MAX_LAYER_NEURONS) {
    found.push({ pointer: "/input/shape", message: `the input has ${inputSize} neurons, more than the limit of ${MAX_LAYER_NEURONS}` });
  }

  let weights = 0;
  spec.layers.forEach((layer, index) => {
    const shapes = check.layers[index];
    if (!shapes) return;
    weights += weightCount(layer, shapes);
    // Only a conv layer can grow past its input: dense/readout sizes are capped by the schema,
    // and pooling and flattening never add neurons.
    const n = shapeSize(shapes.outShape);
    if (layer.kind === "conv" && n > MAX_LAYER_NEURONS) {
      found.push({
        pointer: pointerOf("layers", index),
        message: `this layer has ${n} neurons (${shapes.outShape.join("×")}), more than the limit of ${MAX_LAYER_NEURONS}`,
        hint: "use fewer filters, a larger stride or pool first",
      });
    }
  });
  if (weights > MAX_TOTAL_WEIGHTS) {
    found.push({
      pointer: "/layers",
      message: `the network has ${weights} weights, more than the limit of ${MAX_TOTAL_WEIGHTS} (2^31 bytes of float32)`,
    });
  }
  return found;
}

function weightCount(layer: NetworkSpec["layers"][number], shapes: LayerShapes): number {
  switch (layer.kind) {
    case "dense":
    case "readout":
      // A recurrent layer adds its N×N tensor R.
      return shapeSize(shapes.inShape) * layer.size + (layer.recurrent ? layer.size * layer.size : 0);
    case "conv":
      return layer.filters * shapes.inShape[0] * layer.kernel * layer.kernel;
    default:
      return 0;
  }
}
