// Shape inference, shared by validation (which reports every problem) and IR lowering (which
// wants the shapes of a spec already known to be valid). Pure: no I/O, no defaults other than
// conv stride 1 / padding 0, so it accepts both raw and resolved layers.
//
// Shapes are [N] (flat) or [C, H, W] (spatial). An input shape [H, W] is read as [1, H, W], so
// the first layer's inShape is always one of those two forms.

export type Shape = number[];

export interface LayerShapes {
  inShape: Shape;
  outShape: Shape;
}

/** The fields shape inference needs; both LayerSpec and ResolvedLayerSpec fit. */
export type ShapeLayer =
  | { kind: "dense" | "readout"; size: number }
  | { kind: "conv"; filters: number; kernel: number; stride?: number; padding?: number }
  | { kind: "maxpool" | "sumpool"; size: number }
  | { kind: "flatten" };

export interface ShapeProblem {
  /** Index into the layer list: the problem's JSON pointer is /layers/<layer>. */
  layer: number;
  message: string;
  hint?: string;
}

export interface ShapeCheck {
  input: Shape;
  /** undefined from the first layer whose input shape could not be known. */
  layers: (LayerShapes | undefined)[];
  problems: ShapeProblem[];
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** [H, W] → [1, H, W]; [N] and [C, H, W] unchanged. */
export function canonicalShape(shape: readonly number[]): Shape {
  return shape.length === 2 ? [1, shape[0], shape[1]] : [...shape];
}

/** Output side of a pool window of `size` (stride = size, no padding): rows and columns that no
 * whole window covers are dropped, as PyTorch's pools do. */
export function poolOutput(h: number, w: number, size: number): [number, number] {
  return [Math.floor(h / size), Math.floor(w / size)];
}

/**
 * Shapes of a valid layer stack, one entry per layer. Throws when the stack does not fit
 * together; validation (checkShapes) reports the same problems with pointers first, so a spec
 * that passed validation never throws here.
 */
export function inferShapes(inputShape: readonly number[], layers: readonly ShapeLayer[]): LayerShapes[] {
  const check = checkShapes(inputShape, layers);
  if (check.problems.length > 0) {
    const lines = check.problems.map((p) => `layer ${p.layer}: ${p.message}`);
    throw new Error(`inconsistent layer shapes:\n${lines.join("\n")}`);
  }
  return check.layers as LayerShapes[];
}

/**
 * Infers shapes layer by layer and reports every mismatch. After a mismatch it carries on where
 * the intended shape is obvious (a dense layer's output is [size] whatever its input), so one run
 * finds as many problems as possible; where it is not, the remaining layers stay unknown.
 */
export function checkShapes(inputShape: readonly number[], layers: readonly ShapeLayer[]): ShapeCheck {
  const input = canonicalShape(inputShape);
  const out: (LayerShapes | undefined)[] = [];
  const problems: ShapeProblem[] = [];
  let current: Shape | undefined = input;

  layers.forEach((layer, index) => {
    if (current === undefined) {
      out.push(undefined);
      return;
    }
    const inShape: Shape = current;
    // Messages show the input shape as the user wrote it ([28, 28], not [1, 28, 28]).
    const shown = inShape === input ? formatShape(inputShape) : formatShape(inShape);
    const report = (message: string, hint?: string) => problems.push({ layer: index, message, ...(hint ? { hint } : {}) });
    let outShape: Shape | undefined;

    switch (layer.kind) {
      case "dense":
      case "readout":
        if (inShape.length !== 1) {
          report(`a ${layer.kind} layer needs a flat input, got ${shown}`, `insert {"kind": "flatten"} before it`);
        }
        outShape = [layer.size];
        break;
      case "conv": {
        if (inShape.length !== 3) {
          report(
            `a conv layer needs a spatial input ([H, W] or [C, H, W]), got ${shown}`,
            index === 0 ? "give input.shape as [H, W] or [C, H, W]" : "put conv layers before any flatten, dense or readout layer",
          );
          break;
        }
        const stride = layer.stride ?? 1;
        const padding = layer.padding ?? 0;
        const [, h, w] = inShape;
        const ho = Math.floor((h + 2 * padding - layer.kernel) / stride) + 1;
        const wo = Math.floor((w + 2 * padding - layer.kernel) / stride) + 1;
        if (ho < 1 || wo < 1) {
          report(
            `conv output would be ${Math.max(ho, 0)}×${Math.max(wo, 0)} (input ${h}×${w}, kernel ${layer.kernel}, stride ${stride}, padding ${padding})`,
            "use a smaller kernel or more padding",
          );
          break;
        }
        outShape = [layer.filters, ho, wo];
        break;
      }
      // Max-pool and sum-pool share the window geometry: stride = window, no padding.
      case "maxpool":
      case "sumpool": {
        if (inShape.length !== 3) {
          report(`a ${layer.kind} layer needs a spatial input ([H, W] or [C, H, W]), got ${shown}`);
          break;
        }
        const [c, h, w] = inShape;
        const [ho, wo] = poolOutput(h, w, layer.size);
        if (ho < 1 || wo < 1) {
          report(`${layer.kind} output would be ${ho}×${wo} (input ${h}×${w}, size ${layer.size})`, "use a smaller pool size");
          break;
        }
        outShape = [c, ho, wo];
        break;
      }
      case "flatten":
        if (inShape.length === 1) report(`flatten needs a spatial input, got ${shown}, which is already flat`, "remove this layer");
        outShape = [shapeSize(inShape)];
        break;
    }

    out.push(outShape ? { inShape, outShape } : undefined);
    current = outShape;
  });

  return { input, layers: out, problems };
}
