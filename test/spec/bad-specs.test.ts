// Table-driven bad specs: each row breaks one thing in a small valid spec and states exactly what
// the user is told (docs/design.md §5). The message is the contract, so rows compare full strings.

import { describe, expect, it } from "vitest";
import { checkSpecText, formatProblem } from "../../compiler/spec/index.ts";
import { baseSpec, latencySpec, spatialSpec, type Json } from "./base-spec.ts";

const FILE = "bad.json";

interface Case {
  name: string;
  /** The spec: a mutated copy of the base, or raw text for syntax errors. */
  spec: Json | { text: string };
  /** [pointer, formatted line] per expected problem, in order. */
  want: [string, string][];
}

function mutate(f: (s: Json) => void, start: () => Json = baseSpec): Json {
  const s = start();
  f(s);
  return s;
}

const line = (pointer: string, rest: string): [string, string] => [pointer, `${FILE}: ${pointer || "/"}: ${rest}`];

const cases: Case[] = [
  // ---- JSON syntax ----
  {
    name: "missing comma between properties",
    spec: { text: '{\n  "name": "base"\n  "time": {}\n}' },
    want: [line("", `invalid JSON at line 3, column 3: expected "," or "}" after a property value, got a string`)],
  },
  {
    name: "trailing comma",
    spec: { text: '{\n  "name": "base",\n}' },
    want: [line("", `invalid JSON at line 3, column 1: expected a property name in double quotes, got "}" (JSON does not allow trailing commas)`)],
  },
  {
    name: "comment in JSON",
    spec: { text: '{\n  // my net\n  "name": "base"\n}' },
    want: [line("", "invalid JSON at line 2, column 3: expected a property name in double quotes, got a comment (JSON does not allow comments)")],
  },
  {
    name: "missing value",
    spec: { text: '{"name": }' },
    want: [line("", `invalid JSON at line 1, column 10: expected a value, got "}"`)],
  },
  {
    name: "truncated file",
    spec: { text: '{"name": "base", "time": {' },
    want: [line("", "invalid JSON at line 1, column 27: expected a property name in double quotes, got end of input (the file ends too early)")],
  },
  {
    name: "empty file",
    spec: { text: "  \n" },
    want: [line("", "the file is empty")],
  },
  // ---- structure and types ----
  {
    name: "document is not an object",
    spec: { text: "[1, 2]" },
    want: [line("", "must be an object, got array")],
  },
  {
    name: "steps given as a string",
    spec: mutate((s) => (s.time.steps = "100")),
    want: [line("/time/steps", "must be an integer, got string")],
  },
  {
    name: "non-integer layer size",
    spec: mutate((s) => (s.layers[0].size = 2.5)),
    want: [line("/layers/0/size", "must be an integer, got 2.5")],
  },
  {
    name: "number too large for a double",
    spec: { text: JSON.stringify(baseSpec()).replace('"dt_ms":1', '"dt_ms":1e999') },
    want: [line("/time/dt_ms", "must be a finite number, got Infinity")],
  },
  {
    name: "lr given as a string",
    spec: mutate((s) => (s.training.optimizer.lr = "fast")),
    want: [line("/training/optimizer/lr", "must be a number, got string")],
  },
  {
    name: "layers is an object",
    spec: mutate((s) => (s.layers = { kind: "dense", size: 3 })),
    want: [line("/layers", "must be an array, got object")],
  },
  {
    name: "a layer written as a string",
    spec: mutate((s) => (s.layers[0] = "dense")),
    want: [line("/layers/0", "must be an object, got string")],
  },
  {
    name: "empty layer list",
    spec: mutate((s) => (s.layers = [])),
    want: [line("/layers", "must have at least 1 item, got 0")],
  },
  {
    name: "unknown layer kind",
    spec: mutate((s) => (s.layers[0] = { kind: "lstm", size: 3 })),
    want: [line("/layers/0/kind", "unknown layer kind \"lstm\" (expected one of dense, conv, maxpool, sumpool, flatten, readout)")],
  },
  {
    name: "layer without a kind",
    spec: mutate((s) => (s.layers[0] = { size: 3 })),
    want: [line("/layers/0", 'missing required field "kind"')],
  },
  {
    name: "field of another layer kind",
    spec: mutate((s) => (s.layers[0].filters = 8)),
    want: [line("/layers/0/filters", 'unknown field "filters" (allowed fields: kind, size, bias, neuron, init, recurrent, recurrent_init)')],
  },
  {
    name: "misspelt neuron key gets a did-you-mean",
    spec: mutate((s) => (s.layers[0].neuron = { tau: 5 })),
    want: [line("/layers/0/neuron/tau", 'unknown field "tau" (did you mean "tau_ms"?)')],
  },
  {
    name: "camelCase key gets a did-you-mean",
    spec: mutate((s) => (s.neuron = { vTh: 1 })),
    want: [line("/neuron/vTh", 'unknown field "vTh" (did you mean "v_th"?)')],
  },
  {
    name: "misspelt required key: missing and unknown",
    spec: mutate((s) => {
      s.time = { steps: 10, dt: 1 };
    }),
    want: [
      line("/time", 'missing required field "dt_ms"'),
      line("/time/dt", 'unknown field "dt" (did you mean "dt_ms"?)'),
    ],
  },
  {
    name: "unknown top-level key",
    spec: mutate((s) => (s.optimizer = { kind: "adam" })),
    want: [
      line(
        "/optimizer",
        'unknown field "optimizer" (allowed fields: $schema, name, description, time, input, neuron, init, layers, loss, training)',
      ),
    ],
  },
  {
    name: "missing input",
    spec: mutate((s) => delete s.input),
    want: [line("", 'missing required field "input"')],
  },
  {
    name: "missing time.steps",
    spec: mutate((s) => delete s.time.steps),
    want: [line("/time", 'missing required field "steps"')],
  },
  {
    name: "penalty without nu",
    spec: mutate((s) => (s.loss = { activity_low: { lambda: 1 } })),
    want: [line("/loss/activity_low", 'missing required field "nu"')],
  },
  {
    name: "bad name",
    spec: mutate((s) => (s.name = "my net")),
    want: [line("/name", 'must start with a letter and contain only letters, digits, "_" and "-" (at most 64 characters)')],
  },
  // ---- enums ----
  {
    name: "bad logits enum",
    spec: mutate((s) => (s.layers[1].logits = "mean")),
    want: [line("/layers/1/logits", 'must be one of "max", "sum", "spike_count", got "mean"')],
  },
  // ---- recurrence and the spiking readout (compiler/spec/check-recurrence.ts) ----
  {
    name: "recurrent is not a boolean",
    spec: mutate((s) => (s.layers[0].recurrent = "yes")),
    want: [line("/layers/0/recurrent", "must be a boolean, got string")],
  },
  {
    name: "recurrent_init without recurrence",
    spec: mutate((s) => (s.layers[0].recurrent_init = { scale: 2 })),
    want: [line("/layers/0/recurrent_init", 'recurrent_init is set but the layer is not recurrent (add "recurrent": true or remove recurrent_init)')],
  },
  {
    name: "spike-count logits on a non-spiking readout",
    spec: mutate((s) => (s.layers[1].logits = "spike_count")),
    want: [line("/layers/1/logits", '"spike_count" logits need a spiking readout (add "spiking": true, or use "max" or "sum")')],
  },
  {
    name: "a spiking readout with membrane logits",
    spec: mutate((s) => Object.assign(s.layers[1], { spiking: true, logits: "max" })),
    want: [line("/layers/1/logits", 'a spiking readout reads its logits as spike counts, got "max" (use "logits": "spike_count" or remove it)')],
  },
  {
    name: "a recurrent readout that does not spike",
    spec: mutate((s) => (s.layers[1].recurrent = true)),
    want: [line("/layers/1/recurrent", 'only a spiking readout may be recurrent (add "spiking": true or remove "recurrent")')],
  },
  {
    name: "neuron fields on a non-spiking readout",
    spec: mutate((s) => (s.layers[1].neuron = { v_th: 2 })),
    want: [line("/layers/1/neuron", `neuron parameters apply only to a spiking readout (add "spiking": true, or set the readout's tau_ms and v_rest)`)],
  },
  {
    name: "a spiking readout's threshold below its reset",
    spec: mutate((s) => Object.assign(s.layers[1], { spiking: true, neuron: { v_th: 0.1, v_reset: 0.5 } })),
    want: [line("/layers/1/neuron/v_th", "v_th (0.1) must be greater than v_reset (0.5) (a spike subtracts v_th − v_reset from the membrane)")],
  },
  {
    name: "a spiking readout without leak whose input is scaled by 1 − α",
    spec: mutate((s) => Object.assign(s.layers[1], { spiking: true, input_scale: "one_minus_alpha", neuron: { leak: false } })),
    want: [line("/layers/1/input_scale", `"one_minus_alpha" scales the input by 1 − α, which is 0 for a readout without leak (use "input_scale": "one" or remove "leak": false)`)],
  },
  {
    name: "bad init distribution",
    spec: mutate((s) => (s.init = { distribution: "gaussian" })),
    want: [line("/init/distribution", 'must be one of "uniform", "normal", got "gaussian"')],
  },
  {
    name: "unknown encoding kind",
    spec: mutate((s) => (s.input.encoding = { kind: "rate" })),
    want: [line("/input/encoding/kind", 'unknown encoding kind "rate" (expected one of latency, events)')],
  },
  {
    name: "unknown optimizer",
    spec: mutate((s) => (s.training.optimizer.kind = "sgd")),
    want: [line("/training/optimizer/kind", 'unknown optimizer kind "sgd" (expected one of adam, adamw)')],
  },
  {
    name: "field of the other encoding",
    spec: mutate((s) => (s.input.encoding.bin_ms = 1), latencySpec),
    want: [line("/input/encoding/bin_ms", 'unknown field "bin_ms" (allowed fields: kind, tau_eff_ms, theta)')],
  },
  // ---- numeric ranges (schema) ----
  {
    name: "negative tau",
    spec: mutate((s) => (s.neuron = { tau_ms: -3 })),
    want: [line("/neuron/tau_ms", "must be > 0, got -3")],
  },
  {
    name: "tau = 0 in a layer override, at its own pointer",
    spec: mutate((s) => (s.layers[0].neuron = { tau_ms: 0 })),
    want: [line("/layers/0/neuron/tau_ms", "must be > 0, got 0")],
  },
  {
    name: "readout tau = 0",
    spec: mutate((s) => (s.layers[1].tau_ms = 0)),
    want: [line("/layers/1/tau_ms", "must be > 0, got 0")],
  },
  {
    name: "dt = 0",
    spec: mutate((s) => (s.time.dt_ms = 0)),
    want: [line("/time/dt_ms", "must be > 0, got 0")],
  },
  {
    name: "B_th = 0",
    spec: mutate((s) => (s.neuron = { b_th: 0 })),
    want: [line("/neuron/b_th", "must be > 0, got 0")],
  },
  {
    name: "negative B_th",
    spec: mutate((s) => (s.layers[0].neuron = { b_th: -0.1 })),
    want: [line("/layers/0/neuron/b_th", "must be > 0, got -0.1")],
  },
  {
    name: "T = 1",
    spec: mutate((s) => (s.time.steps = 1)),
    want: [line("/time/steps", "must be >= 2, got 1")],
  },
  {
    name: "T over the limit",
    spec: mutate((s) => (s.time.steps = 100001)),
    want: [line("/time/steps", "must be <= 100000, got 100001")],
  },
  {
    name: "batch 0",
    spec: mutate((s) => (s.training.batch = 0)),
    want: [line("/training/batch", "must be >= 1, got 0")],
  },
  {
    name: "epochs 0",
    spec: mutate((s) => (s.training.epochs = 0)),
    want: [line("/training/epochs", "must be >= 1, got 0")],
  },
  {
    name: "lr = 0",
    spec: mutate((s) => (s.training.optimizer.lr = 0)),
    want: [line("/training/optimizer/lr", "must be > 0, got 0")],
  },
  {
    name: "beta2 = 1",
    spec: mutate((s) => (s.training.optimizer.betas = [0.9, 1])),
    want: [line("/training/optimizer/betas/1", "must be < 1, got 1")],
  },
  // ---- The training recipe ----
  {
    name: "weight decay on plain Adam",
    spec: mutate((s) => (s.training.optimizer.weight_decay = 0.01)),
    want: [line("/training/optimizer/weight_decay", 'weight_decay needs kind "adamw", got kind "adam" (snnc decays weights the decoupled way only (AdamW): set "kind": "adamw")')],
  },
  {
    name: "negative weight decay",
    spec: mutate((s) => (s.training.optimizer = { kind: "adamw", lr: 0.01, weight_decay: -0.1 })),
    want: [line("/training/optimizer/weight_decay", "must be >= 0, got -0.1")],
  },
  {
    name: "a warm-up as long as the run",
    spec: mutate((s) => (s.training.schedule = { kind: "cosine", warmup_epochs: 1 })),
    want: [line("/training/schedule/warmup_epochs", "a warm-up of 1 epochs is not shorter than the run (training.epochs is 1) (warm up over a small part of the run, e.g. 1 epoch of 30)")],
  },
  {
    name: "a field of another schedule kind",
    spec: mutate((s) => (s.training.schedule = { kind: "cosine", gamma: 0.5 })),
    want: [line("/training/schedule/gamma", 'gamma does not apply to schedule kind "cosine" ("cosine" takes warmup_epochs, min_lr)')],
  },
  {
    name: "a cosine ending above its start",
    spec: mutate((s) => (s.training.schedule = { kind: "cosine", min_lr: 0.1 })),
    want: [line("/training/schedule/min_lr", "must be below the learning rate (0.01), got 0.1 (the cosine decays from optimizer.lr down to min_lr)")],
  },
  {
    name: "a validation share above 1 that is not a count",
    spec: mutate((s) => (s.training.validation = 1.5)),
    want: [line("/training/validation", "must be a fraction in [0, 1) or a whole number of samples, got 1.5 (0.1 holds out a tenth of the training split; 5000 holds out 5000 samples)")],
  },
  {
    name: "early stopping without validation",
    spec: mutate((s) => Object.assign(s.training, { validation: 0, early_stop: 3 })),
    want: [line("/training/early_stop", "needs a validation split, but training.validation is 0 (early stopping watches the validation accuracy: hold some samples out)")],
  },
  {
    name: "an augmentation of another dataset",
    spec: mutate((s) => (s.training.augment = { translate: 2 })),
    want: [line("/training/augment/translate", "translate does not apply to the synthetic dataset (synthetic data takes no augmentation)")],
  },
  {
    name: "one beta",
    spec: mutate((s) => (s.training.optimizer.betas = [0.9])),
    want: [line("/training/optimizer/betas", "must have at least 2 items, got 1")],
  },
  {
    name: "theta = 1",
    spec: mutate((s) => (s.input.encoding.theta = 1), latencySpec),
    want: [line("/input/encoding/theta", "must be < 1, got 1")],
  },
  {
    name: "tau_eff = 0",
    spec: mutate((s) => (s.input.encoding.tau_eff_ms = 0), latencySpec),
    want: [line("/input/encoding/tau_eff_ms", "must be > 0, got 0")],
  },
  {
    name: "zero in the input shape",
    spec: mutate((s) => (s.input.shape = [0])),
    want: [line("/input/shape/0", "must be >= 1, got 0")],
  },
  {
    name: "4-D input shape",
    spec: mutate((s) => (s.input.shape = [1, 2, 3, 4])),
    want: [line("/input/shape", "must have at most 3 items, got 4")],
  },
  {
    name: "active_capacity above 1",
    spec: mutate((s) => (s.training.active_capacity = 2)),
    want: [line("/training/active_capacity", "must be <= 1, got 2")],
  },
  // ---- layer structure (semantic) ----
  {
    name: "readout not last",
    spec: mutate((s) => (s.layers = [{ kind: "readout", size: 2 }, { kind: "dense", size: 3 }])),
    want: [line("/layers/0", "the readout layer must be the last layer")],
  },
  {
    name: "two readouts",
    spec: mutate((s) => s.layers.unshift({ kind: "readout", size: 3 })),
    want: [line("/layers/0", "there must be exactly one readout layer, found 2 (at /layers/0 and /layers/2) (keep only the last one)")],
  },
  {
    name: "no readout",
    spec: mutate((s) => s.layers.pop()),
    want: [line("/layers", 'the network has no readout layer (add {"kind": "readout", "size": <number of classes>} as the last layer)')],
  },
  {
    name: "impossible conv shape",
    spec: spatialSpec([1, 2, 2], [{ kind: "conv", filters: 2, kernel: 5 }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0", "conv output would be 0×0 (input 2×2, kernel 5, stride 1, padding 0) (use a smaller kernel or more padding)")],
  },
  {
    name: "conv on a flat input",
    spec: spatialSpec([4], [{ kind: "conv", filters: 2, kernel: 1 }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0", "a conv layer needs a spatial input ([H, W] or [C, H, W]), got [4] (give input.shape as [H, W] or [C, H, W])")],
  },
  {
    name: "conv after flatten",
    spec: spatialSpec([1, 4, 4], [{ kind: "flatten" }, { kind: "conv", filters: 2, kernel: 1 }, { kind: "readout", size: 2 }]),
    want: [
      line(
        "/layers/1",
        "a conv layer needs a spatial input ([H, W] or [C, H, W]), got [16] (put conv layers before any flatten, dense or readout layer)",
      ),
    ],
  },
  {
    name: "dense on a 3-D input without flatten",
    spec: spatialSpec([2, 4, 4], [{ kind: "dense", size: 3 }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0", 'a dense layer needs a flat input, got [2, 4, 4] (insert {"kind": "flatten"} before it)')],
  },
  {
    name: "readout after a conv without flatten",
    spec: spatialSpec([6, 6], [{ kind: "conv", filters: 2, kernel: 3 }, { kind: "readout", size: 2 }]),
    want: [line("/layers/1", 'a readout layer needs a flat input, got [2, 4, 4] (insert {"kind": "flatten"} before it)')],
  },
  {
    name: "flatten on a flat input",
    spec: mutate((s) => s.layers.unshift({ kind: "flatten" })),
    want: [line("/layers/0", "flatten needs a spatial input, got [4], which is already flat (remove this layer)")],
  },
  {
    name: "maxpool on a flat input",
    spec: mutate((s) => s.layers.unshift({ kind: "maxpool", size: 2 })),
    want: [line("/layers/0", "a maxpool layer needs a spatial input ([H, W] or [C, H, W]), got [4]")],
  },
  {
    name: "maxpool window larger than the input",
    spec: spatialSpec([1, 3, 3], [{ kind: "maxpool", size: 4 }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [line("/layers/0", "maxpool output would be 0×0 (input 3×3, size 4) (use a smaller pool size)")],
  },
  // ---- cross-field numbers (semantic) ----
  {
    name: "V_th = V_r at top level",
    spec: mutate((s) => (s.neuron = { v_th: 0.5, v_reset: 0.5 })),
    want: [line("/neuron/v_th", "v_th (0.5) must be greater than v_reset (0.5) (a spike subtracts v_th − v_reset from the membrane)")],
  },
  {
    name: "V_th < V_r from a layer's v_reset",
    spec: mutate((s) => (s.layers[0].neuron = { v_reset: 2 })),
    want: [
      line("/layers/0/neuron/v_reset", "v_th (1) must be greater than v_reset (2) (a spike subtracts v_th − v_reset from the membrane)"),
    ],
  },
  {
    name: "bin_ms differs from dt_ms",
    spec: mutate((s) => (s.input.encoding.bin_ms = 2)),
    want: [line("/input/encoding/bin_ms", "must equal time.dt_ms (1), got 2 (events are binned one bin per time step)")],
  },
  {
    name: "dataset that cannot feed the network",
    spec: mutate((s) => (s.input.dataset = "shd")),
    want: [
      line("/input/shape", 'dataset "shd" has 700 inputs, but this shape has 4 (use [700])'),
      line("/layers/1/size", 'dataset "shd" has 20 classes, but the readout has 2 outputs'),
    ],
  },
  {
    name: "dataset with the wrong encoding",
    spec: mutate((s) => {
      s.input.dataset = "fashion-mnist";
      s.input.shape = [784];
      s.layers[1].size = 10;
    }),
    want: [line("/input/encoding/kind", 'dataset "fashion-mnist" needs the "latency" encoding, got "events"')],
  },
  // ---- size limits (semantic) ----
  {
    name: "input over the neuron limit",
    spec: mutate((s) => (s.input.shape = [300, 300])),
    want: [
      line("/layers/0", 'a dense layer needs a flat input, got [300, 300] (insert {"kind": "flatten"} before it)'),
      line("/input/shape", "the input has 90000 neurons, more than the limit of 65536"),
    ],
  },
  {
    name: "conv layer over the neuron limit",
    spec: spatialSpec([256, 256], [{ kind: "conv", filters: 2, kernel: 1 }, { kind: "flatten" }, { kind: "readout", size: 2 }]),
    want: [
      line(
        "/layers/0",
        "this layer has 131072 neurons (2×256×256), more than the limit of 65536 (use fewer filters, a larger stride or pool first)",
      ),
    ],
  },
  {
    name: "too many weights",
    spec: mutate((s) => {
      s.input.shape = [65536];
      s.layers[0].size = 65536;
    }),
    want: [line("/layers", "the network has 4295098368 weights, more than the limit of 536870912 (2^31 bytes of float32)")],
  },
];

describe("bad specs", () => {
  it("has at least 30 distinct cases", () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)("$name", ({ spec, want }) => {
    const text = "text" in spec && typeof spec.text === "string" ? spec.text : JSON.stringify(spec, null, 2);
    const result = checkSpecText(text, FILE);
    if (result.ok) throw new Error("expected the spec to be rejected");
    expect(result.problems.map(formatProblem)).toEqual(want.map(([, formatted]) => formatted));
    expect(result.problems.map((p) => p.pointer)).toEqual(want.map(([pointer]) => pointer));
    expect(result.problems.every((p) => p.file === FILE)).toBe(true);
  });
});
