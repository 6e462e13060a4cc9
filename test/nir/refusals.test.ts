// What an import refuses, with the exact sentence the user sees: graph shapes snnc cannot run,
// node types it has no layer for yet, parameters that vary where snnc needs one value, and
// conventions it does not have. Graphs are built in memory (the file layer is tested with the
// fixtures in cli.test.ts).

import { describe, expect, it } from "vitest";
import { importNir } from "../../compiler/nir/import-graph.ts";
import { nirArray, type NirGraph, type NirValue } from "../../compiler/nir/graph.ts";
import type { Conventions } from "../../compiler/nir/conventions.ts";

type Params = Record<string, number | number[] | string | { shape: number[]; fill: number }>;
type Nodes = Record<string, { type: string } & Params>;

function value(v: Params[string]): NirValue {
  if (typeof v === "string") return v;
  if (typeof v === "number") return nirArray([v], []);
  if (Array.isArray(v)) return nirArray(v);
  const n = v.shape.reduce((a, b) => a * b, 1);
  return nirArray(new Array<number>(n).fill(v.fill), v.shape);
}

function graph(nodes: Nodes, edges?: [string, string][]): NirGraph {
  // An undefined node or parameter is one the case removed.
  const present = Object.entries(nodes).filter(([, n]) => n !== undefined);
  const names = present.map(([k]) => k);
  return {
    nodes: new Map(
      present.map(([k, { type, ...p }]) => [k, { type, params: Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined).map(([q, v]) => [q, value(v)])) }]),
    ),
    edges: edges ?? names.slice(1).map((n, k) => [names[k], n] as [string, string]),
    metadata: {},
  };
}

const full = (shape: number[], fill: number) => ({ shape, fill });
const lifP = (n: number) => ({ type: "LIF", tau: full([n], 0.01), r: full([n], 1), v_leak: full([n], 0), v_threshold: full([n], 1) });
const liP = (n: number) => ({ type: "LI", tau: full([n], 0.01), r: full([n], 1), v_leak: full([n], 0) });
const lin = (o: number, i: number) => ({ type: "Linear", weight: full([o, i], 0.5) });
const cubaP = (n: number) => ({
  type: "CubaLIF",
  tau_mem: full([n], 0.01),
  tau_syn: full([n], 0.005),
  r: full([n], 1),
  w_in: full([n], 1),
  v_leak: full([n], 0),
  v_threshold: full([n], 1),
});

/** Input[4] → fc1 → lif1[5] → fc2 → li[2] → Output, with changes. */
function base(change: (n: Nodes) => Nodes = (n) => n): Nodes {
  return change({
    input: { type: "Input", shape: [4] },
    fc1: lin(5, 4),
    lif1: lifP(5),
    fc2: lin(2, 5),
    li: liP(2),
    output: { type: "Output", shape: [2] },
  });
}
const BASE_EDGES: [string, string][] = [
  ["input", "fc1"],
  ["fc1", "lif1"],
  ["lif1", "fc2"],
  ["fc2", "li"],
  ["li", "output"],
];

const EXACT: Conventions = { dtMs: 1, discretization: "exact", reset: "subtract" };
function refusal(g: NirGraph, c: Conventions = EXACT): string {
  try {
    importNir(g, { ...c, fallbackName: "t", source: "t.nir" });
  } catch (e) {
    return (e as Error).message;
  }
  return "(imported)";
}

describe("NIR import refuses, in one sentence naming the node", () => {
  it("imports the base graph (the cases below each break one thing)", () => {
    expect(refusal(graph(base()))).toBe("(imported)");
  });

  const cases: [string, NirGraph, string, Conventions?][] = [
    ["an edge naming a node that is not there", graph(base(({ input: _i, ...n }) => n), BASE_EDGES), 'edge 0 (input → fc1) names "input", which is not a node of the graph'],
    ["no Input node at all", graph(base(({ input: _i, ...n }) => n), BASE_EDGES.slice(1)), "the graph has no Input node"],
    ["two Outputs", graph(base((n) => ({ ...n, out2: { type: "Output", shape: [2] } })), BASE_EDGES), "the graph has 2 Output nodes (output, out2); snnc networks have one output"],
    [
      "a branch",
      graph(base((n) => ({ ...n, fc3: lin(2, 5), li2: liP(2) })), [...BASE_EDGES, ["lif1", "fc3"], ["fc3", "li2"]]),
      'node "lif1" branches to 2 nodes (fc2, fc3); snnc networks are chains without branches',
    ],
    [
      "a merge from outside the chain",
      graph(base((n) => ({ ...n, other: lin(2, 5) })), [...BASE_EDGES, ["other", "li"]]),
      'node "li" has 2 inputs (fc2, other); snnc networks are chains without merges or skip connections',
    ],
    [
      "a self-loop without a weight node",
      graph(base(), [...BASE_EDGES, ["lif1", "lif1"]]),
      'node "lif1" is recurrent (lif1 → lif1); snnc\'s recurrence is a layer\'s own spikes through one square Linear or Affine node (lif → w_rec → lif)',
    ],
    [
      "a cycle spanning two layers",
      graph(base((n) => ({ ...n, back: lin(5, 2) })), [...BASE_EDGES.slice(0, -1), ["li", "back"], ["back", "lif1"], ["li", "output"]]),
      'node "lif1" is recurrent (lif1 → fc2 → li → back → lif1); snnc\'s recurrence is a layer\'s own spikes through one square Linear or Affine node (lif → w_rec → lif)',
    ],
    [
      "a cycle through two weight nodes",
      graph(base((n) => ({ ...n, r1: lin(5, 5), r2: lin(5, 5) })), [...BASE_EDGES, ["lif1", "r1"], ["r1", "r2"], ["r2", "lif1"]]),
      'node "lif1" is recurrent (lif1 → r1 → r2 → lif1); snnc\'s recurrence is a layer\'s own spikes through one square Linear or Affine node (lif → w_rec → lif)',
    ],
    [
      "a recurrent weight that is not square",
      graph(base((n) => ({ ...n, rec: lin(5, 4) })), [...BASE_EDGES, ["lif1", "rec"], ["rec", "lif1"]]),
      'node "rec" (Linear) closes a cycle on "lif1" but its weight has shape [5, 4]; a recurrent weight is square',
    ],
    [
      "a recurrent weight of the wrong size",
      graph(base((n) => ({ ...n, rec: lin(3, 3) })), [...BASE_EDGES, ["lif1", "rec"], ["rec", "lif1"]]),
      'node "rec" (Linear): weight has shape [3, 3] but its layer "lif1" has 5 neurons',
    ],
    [
      "a cycle through a Scale",
      graph(base((n) => ({ ...n, s: { type: "Scale", scale: [2] } })), [...BASE_EDGES, ["lif1", "s"], ["s", "lif1"]]),
      'node "s" (Scale) closes a cycle on "lif1" (lif1 → s → lif1); snnc\'s recurrence goes through a Linear or Affine node',
    ],
    [
      "two recurrent weights on one layer",
      graph(base((n) => ({ ...n, r1: lin(5, 5), r2: lin(5, 5) })), [...BASE_EDGES, ["lif1", "r1"], ["r1", "lif1"], ["lif1", "r2"], ["r2", "lif1"]]),
      'node "lif1" is recurrent through both "r1" and "r2"; snnc\'s layers have one recurrent weight',
    ],
    [
      "a recurrent LI readout",
      graph(base((n) => ({ ...n, rec: lin(2, 2) })), [...BASE_EDGES, ["li", "rec"], ["rec", "li"]]),
      'node "li" (LI) is recurrent through "rec"; snnc\'s recurrent layers are LIF, IF or CubaLIF nodes after a Linear or Affine',
    ],
    ["a node off the chain", graph(base((n) => ({ ...n, stray: lin(2, 2) })), BASE_EDGES), 'node "stray" is not on the path from "input" to "output"; snnc networks are chains'],
    [
      // A hidden dense layer takes τ per neuron (round-trip-tau.test.ts); a readout has one.
      "τ that differs between neurons of the readout",
      graph(base((n) => ({ ...n, li: { ...liP(2), tau: [0.01, 0.02] } }))),
      'node "li" (LI): "tau" differs between neurons (0.01 … 0.02); snnc needs one value per layer',
    ],
    [
      "thresholds that differ",
      graph(base((n) => ({ ...n, lif1: { ...lifP(5), v_threshold: [1, 1, 1, 1, 2] } }))),
      'node "lif1" (LIF): "v_threshold" differs between neurons (1 … 2); snnc needs one value per layer',
    ],
    [
      "a parameter of the wrong size",
      graph(base((n) => ({ ...n, lif1: { ...lifP(5), tau: [0.01, 0.01, 0.01] } }))),
      'node "lif1" (LIF): "tau" has 3 values [3] but the layer has 5 neurons',
    ],
    ["a missing parameter", graph(base((n) => ({ ...n, lif1: { ...lifP(5), v_threshold: undefined as never } }))), 'node "lif1" (LIF): has no "v_threshold" parameter'],
    ["a string parameter", graph(base((n) => ({ ...n, li: { ...liP(2), tau: "fast" } }))), 'node "li" (LI): "tau" is a string, expected numbers'],
    [
      "an Affine bias of the wrong size",
      graph(base((n) => ({ ...n, fc1: { type: "Affine", weight: full([5, 4], 0.5), bias: [0, 0, 0.1] } }))),
      'node "fc1" (Affine): bias has 3 values but the weight has 5 outputs',
    ],
    [
      "a Scale between neuron layers",
      graph(base((n) => ({ input: n.input, fc1: n.fc1, lif1: n.lif1, s: { type: "Scale", scale: [2] }, li: n.li, output: n.output }))),
      'node "s" (Scale): must sit next to a Linear, Affine or Conv2d node',
    ],
    [
      "two weight nodes in a row",
      graph(base((n) => ({ input: n.input, fc1: n.fc1, fc1b: lin(5, 5), lif1: n.lif1, fc2: n.fc2, li: n.li, output: n.output }))),
      'node "fc1b" (Linear): follows the weight node "fc1"; snnc needs a LIF or LI node after each weight node',
    ],
    [
      "neurons without weights before them",
      graph(base((n) => ({ input: { type: "Input", shape: [5] }, lif1: n.lif1, fc2: n.fc2, li: n.li, output: n.output }))),
      'node "lif1" (LIF): follows "input" directly; snnc needs a Linear, Affine or Conv2d node before each neuron layer',
    ],
    [
      "a spiking readout after a Conv2d",
      graph({
        input: { type: "Input", shape: [1, 2, 2] },
        conv: { type: "Conv2d", weight: full([2, 1, 1, 1], 0.5), stride: [1, 1], padding: [0, 0], bias: [0, 0] },
        lif: lifP(8),
        output: { type: "Output", shape: [8] },
      }),
      'node "lif" (LIF): follows the Conv2d "conv" and is the last node before Output; snnc\'s spiking readout is dense (flatten and add a Linear or Affine first)',
    ],
    [
      "a node after the readout",
      graph(base((n) => ({ ...n, output: undefined as never, fc3: lin(2, 2), output2: { type: "Output", shape: [2] } }))),
      'node "fc3" (Linear): follows the readout "li"; the LI readout must be the last node before Output',
    ],
    ["an Output of another size", graph(base((n) => ({ ...n, output: { type: "Output", shape: [3] } }))), 'node "output" (Output): shape [3] does not match the readout "li" of 2 neurons'],
    ["a weight that does not fit", graph(base((n) => ({ ...n, fc2: lin(2, 6) }))), 'node "fc2" (Linear): weight has shape [2, 6] but its input "lif1" has 5 values'],
    [
      "IF thresholds that differ",
      graph(base((n) => ({ ...n, lif1: { type: "IF", r: full([5], 1), v_threshold: [1, 1, 2, 1, 1] } }))),
      'node "lif1" (IF): "v_threshold" differs between neurons (1 … 2); snnc needs one value per layer',
    ],
    ["an IF without r", graph(base((n) => ({ ...n, lif1: { type: "IF", v_threshold: full([5], 1) } }))), 'node "lif1" (IF): has no "r" parameter'],
    [
      "a CubaLIF without tau_syn",
      graph(base((n) => ({ ...n, lif1: { ...cubaP(5), tau_syn: undefined as never } }))),
      'node "lif1" (CubaLIF): has no "tau_syn" parameter',
    ],
    [
      "CubaLIF synaptic τ that differ in a spiking readout",
      graph(base((n) => ({ input: n.input, fc1: n.fc1, lif1: { ...cubaP(5), tau_syn: [0.005, 0.005, 0.005, 0.005, 0.006] }, output: { type: "Output", shape: [5] } }))),
      'node "lif1" (CubaLIF): "tau_syn" differs between neurons (0.005 … 0.006); snnc\'s readout has one τ',
    ],
    [
      "Euler with a synaptic τ ≤ dt",
      graph(base((n) => ({ ...n, lif1: { ...cubaP(5), tau_syn: full([5], 0.0005) } }))),
      'node "lif1" (CubaLIF): tau_syn = 0.0005 s is not longer than dt = 1 ms, so Euler\'s α = 1 − dt/τ is not in (0, 1) (use --discretization exact)',
      { dtMs: 1, discretization: "euler", reset: "subtract" },
    ],
    [
      "a CubaLI readout after a Conv2d",
      graph({
        input: { type: "Input", shape: [1, 2, 2] },
        conv: { type: "Conv2d", weight: full([2, 1, 1, 1], 0.5), stride: [1, 1], padding: [0, 0], bias: [0, 0] },
        li: { ...cubaP(8), type: "CubaLI", v_threshold: undefined as never },
        output: { type: "Output", shape: [8] },
      }),
      'node "li" (CubaLI): follows the Conv2d "conv"; snnc\'s readout takes a Linear or Affine node (flatten first)',
    ],
    ["an unknown type", graph(base((n) => ({ ...n, lif1: { ...lifP(5), type: "Spiky" } }))), 'node "lif1" has type "Spiky", which is not a NIR node type snnc knows'],
    [
      "Euler with τ ≤ dt",
      graph(base((n) => ({ ...n, lif1: { ...lifP(5), tau: full([5], 0.001) } }))),
      'node "lif1" (LIF): tau = 0.001 s is not longer than dt = 1 ms, so Euler\'s α = 1 − dt/τ is not in (0, 1) (use --discretization exact)',
      { dtMs: 1, discretization: "euler", reset: "subtract" },
    ],
    [
      "a --dt-ms so short that α rounds to 1 in float32 (issue 26, item 3)",
      graph(base()),
      'node "lif1" (LIF): tau = 0.01 s with --dt-ms 1e-300 gives α = exp(−dt/τ) = 1 in float32, so the layer never decays (--dt-ms is in milliseconds, the file\'s τ in seconds)',
      { dtMs: 1e-300, discretization: "exact", reset: "subtract" },
    ],
    [
      "a --dt-ms so long that α rounds to 0 in float32",
      graph(base()),
      'node "lif1" (LIF): tau = 0.01 s with --dt-ms 100000 gives α = exp(−dt/τ) = 0 in float32, so the layer forgets everything at every step (--dt-ms is in milliseconds, the file\'s τ in seconds)',
      { dtMs: 100000, discretization: "exact", reset: "subtract" },
    ],
    [
      "Euler with a --dt-ms so short that α = 1 − dt/τ rounds to 1",
      graph(base()),
      'node "lif1" (LIF): tau = 0.01 s with --dt-ms 1e-9 gives α = 1 − dt/τ = 1 in float32, so the layer never decays (--dt-ms is in milliseconds, the file\'s τ in seconds)',
      { dtMs: 1e-9, discretization: "euler", reset: "subtract" },
    ],
    [
      "a CubaLIF synaptic τ whose α_syn rounds to 0 (a τ in ms written as seconds)",
      graph(base((n) => ({ ...n, lif1: { ...cubaP(5), tau_syn: full([5], 5e-6) } }))),
      'node "lif1" (CubaLIF): tau_syn = 0.000005 s with --dt-ms 1 gives α = exp(−dt/τ) = 0 in float32, so the layer forgets everything at every step (--dt-ms is in milliseconds, the file\'s τ in seconds)',
    ],
    [
      "an LI readout whose α rounds to 1",
      graph(base((n) => ({ ...n, li: { ...liP(2), tau: full([2], 1e6) } }))),
      'node "li" (LI): tau = 1000000 s with --dt-ms 1 gives α = exp(−dt/τ) = 1 in float32, so the layer never decays (--dt-ms is in milliseconds, the file\'s τ in seconds)',
    ],
    [
      "a reset mode snnc does not have",
      graph(base()),
      "--reset zero: snnc has no \"zero\" reset mode; use --reset subtract, subtract_same_step or to_reset",
      { dtMs: 1, discretization: "exact", reset: "zero" as never },
    ],
    [
      "a threshold below the reset",
      graph(base((n) => ({ ...n, lif1: { ...lifP(5), v_reset: full([5], 2) } }))),
      "the graph does not make a valid snnc spec:",
    ],
  ];
  for (const [what, g, message, c] of cases)
    it(what, () => {
      const got = refusal(g, c);
      if (message.endsWith(":")) expect(got.startsWith(message), got).toBe(true);
      else expect(got).toBe(message);
    });
});

describe("NIR import of conv graphs refuses what snnc's conv layer is not", () => {
  const conv = (over: Params = {}) => ({
    type: "Conv2d",
    weight: full([2, 1, 3, 3], 0.5),
    stride: [1, 1],
    padding: [1, 1],
    dilation: [1, 1],
    groups: 1,
    bias: [0, 0],
    ...over,
  });
  const convGraph = (c: object, after: Nodes = {}) =>
    graph({
      input: { type: "Input", shape: [1, 4, 4] },
      conv: c as Nodes[string],
      lif: lifP(32),
      ...(Object.keys(after).length ? after : { flat: { type: "Flatten", start_dim: 0, end_dim: -1 } }),
      fc: lin(2, 32),
      li: liP(2),
      output: { type: "Output", shape: [2] },
    });
  it("imports the base conv graph", () => expect(refusal(convGraph(conv()))).toBe("(imported)"));
  const cases: [string, NirGraph, string][] = [
    ["dilation", convGraph(conv({ dilation: [2, 2] })), 'node "conv" (Conv2d): dilation [2, 2]: snnc\'s conv layers are not dilated'],
    ["groups", convGraph(conv({ groups: 2 })), 'node "conv" (Conv2d): groups = 2: snnc\'s conv layers connect every input channel (groups 1)'],
    ["a non-square kernel", convGraph(conv({ weight: full([2, 1, 3, 2], 0.5) })), 'node "conv" (Conv2d): kernel 3×2 is not square; snnc\'s conv layers have k×k kernels'],
    ["unequal strides", convGraph(conv({ stride: [1, 2] })), 'node "conv" (Conv2d): stride [1, 2]: snnc\'s conv layers use one positive stride in both directions'],
    ["a bias of the wrong size", convGraph(conv({ bias: [0, 1, 2] })), 'node "conv" (Conv2d): bias has 3 values but the weight has 2 filters'],
    ["a channel mismatch", convGraph(conv({ weight: full([2, 3, 3, 3], 0.5) })), 'node "conv" (Conv2d): weight has shape [2, 3, 3, 3] but its input "input" has 1 channel [1, 4, 4]'],
    [
      "a partial flatten",
      convGraph(conv(), { flat: { type: "Flatten", start_dim: 1, end_dim: -1 } }),
      'node "flat" (Flatten): flattens dims 1 … -1 of its [2, 4, 4] input; snnc flattens the whole signal (start_dim 0, end_dim −1)',
    ],
    [
      "no flatten before a Linear",
      graph({ input: { type: "Input", shape: [1, 4, 4] }, conv: conv() as Nodes[string], lif: lifP(32), fc: lin(2, 32), li: liP(2), output: { type: "Output", shape: [2] } }),
      'node "fc" (Linear): its input "lif" has shape [2, 4, 4]; snnc\'s dense layers take a flat input (add a Flatten before it)',
    ],
    [
      "a SumPool2d with stride other than its window",
      convGraph(conv(), { pool: { type: "SumPool2d", kernel_size: [2, 2], stride: [1, 1], padding: [0, 0] }, flat: { type: "Flatten", start_dim: 0, end_dim: -1 } }),
      'node "pool" (SumPool2d): stride [1, 1] differs from kernel_size [2, 2]; snnc\'s sum-pool has stride equal to its window',
    ],
    [
      "a padded SumPool2d",
      convGraph(conv(), { pool: { type: "SumPool2d", kernel_size: [2, 2], stride: [2, 2], padding: [1, 1] }, flat: { type: "Flatten", start_dim: 0, end_dim: -1 } }),
      'node "pool" (SumPool2d): padding [1, 1]: snnc\'s sum-pool has no padding',
    ],
    [
      "a SumPool2d with a non-square window",
      convGraph(conv(), { pool: { type: "SumPool2d", kernel_size: [2, 1], stride: [2, 1], padding: [0, 0] }, flat: { type: "Flatten", start_dim: 0, end_dim: -1 } }),
      'node "pool" (SumPool2d): kernel_size [2, 1]: snnc\'s sum-pool has a square window',
    ],
    [
      "a SumPool2d between a Conv2d and its neurons",
      graph({
        input: { type: "Input", shape: [1, 4, 4] },
        conv: conv() as Nodes[string],
        pool: { type: "SumPool2d", kernel_size: [2, 2], stride: [2, 2] },
        lif: lifP(8),
        flat: { type: "Flatten", start_dim: 0, end_dim: -1 },
        fc: lin(2, 8),
        li: liP(2),
        output: { type: "Output", shape: [2] },
      }),
      'node "pool" (SumPool2d): follows the weight node "conv"; snnc needs a LIF or LI node after each weight node',
    ],
    [
      "a recurrent conv layer",
      graph(
        {
          input: { type: "Input", shape: [1, 4, 4] },
          conv: conv() as Nodes[string],
          lif: lifP(32),
          rec: lin(32, 32),
          flat: { type: "Flatten", start_dim: 0, end_dim: -1 },
          fc: lin(2, 32),
          li: liP(2),
          output: { type: "Output", shape: [2] },
        },
        [
          ["input", "conv"],
          ["conv", "lif"],
          ["lif", "rec"],
          ["rec", "lif"],
          ["lif", "flat"],
          ["flat", "fc"],
          ["fc", "li"],
          ["li", "output"],
        ],
      ),
      'node "lif" (LIF): is recurrent through "rec" but follows the Conv2d "conv"; snnc\'s recurrent layers are dense',
    ],
    [
      "a SumPool2d on a flat signal",
      graph({ input: { type: "Input", shape: [4] }, pool: { type: "SumPool2d", kernel_size: [2, 2], stride: [2, 2] }, fc: lin(2, 4), li: liP(2), output: { type: "Output", shape: [2] } }),
      'node "pool" (SumPool2d): its input has shape [4]; a SumPool2d needs [C, H, W] or [H, W]',
    ],
  ];
  for (const [what, g, message] of cases) it(what, () => expect(refusal(g)).toBe(message));
});

describe("NIR import of the shapes that once were refused", () => {
  const spikingTail = (node: Nodes[string]) => graph(base((n) => ({ input: n.input, fc1: n.fc1, lif1: n.lif1, fc2: n.fc2, out: node, output: n.output })));
  const imported = (g: NirGraph, c: Conventions = EXACT) => importNir(g, { ...c, fallbackName: "t", source: "t.nir" });
  it("a LIF with r = 1 before Output is a spiking readout keeping (1 − α) as its input scale", () => {
    const { spec, weights } = imported(spikingTail(lifP(2)));
    expect(spec.layers.at(-1)).toEqual({
      kind: "readout",
      size: 2,
      spiking: true,
      logits: "spike_count",
      input_scale: "one_minus_alpha",
      tau_ms: 10,
      v_rest: 0,
      neuron: { v_th: 1, v_reset: 0 },
    });
    expect([...weights.get("w2")!]).toEqual(new Array(10).fill(0.5));
  });
  it("an IF before Output is a spiking readout without leak, its gain in the weights", () => {
    const { spec, weights } = imported(spikingTail({ type: "IF", r: full([2], 2), v_threshold: full([2], 1) }), { ...EXACT, ifGain: "per-step" });
    expect(spec.layers.at(-1)).toEqual({ kind: "readout", size: 2, spiking: true, logits: "spike_count", input_scale: "one", neuron: { leak: false, v_th: 1, v_reset: 0 } });
    expect([...weights.get("w2")!]).toEqual(new Array(10).fill(1));
  });
  it("a recurrent CubaLIF readout through an Affine: R transposed, its bias in the layer's", () => {
    const rec = { type: "Affine", weight: [0.1, 0.2, 0.3, 0.4], bias: [0.5, -0.5] } as unknown as Nodes[string];
    const nodes = base((n) => ({ input: n.input, fc1: n.fc1, lif1: n.lif1, fc2: n.fc2, out: cubaP(2), rec, output: n.output }));
    const g = graph(nodes, [
      ["input", "fc1"],
      ["fc1", "lif1"],
      ["lif1", "fc2"],
      ["fc2", "out"],
      ["out", "rec"],
      ["rec", "out"],
      ["out", "output"],
    ]);
    g.nodes.get("rec")!.params.weight = nirArray([0.1, 0.2, 0.3, 0.4], [2, 2]);
    const { spec, weights } = imported(g);
    expect(spec.layers.at(-1)).toMatchObject({ kind: "readout", spiking: true, recurrent: true, bias: true, input_scale: "one_minus_alpha" });
    // r = 1: the gain is w_in·(1 − α_syn) alone, the (1 − α) kept as the input scale.
    const gSyn = 1 - Math.exp(-1 / 5);
    const close = (got: Float32Array, want: number[]) => want.forEach((x, i) => expect(got[i]).toBeCloseTo(x * gSyn, 6));
    close(weights.get("r2")!, [0.1, 0.3, 0.2, 0.4]); // R[k][j] = R_nir[j][k]
    close(weights.get("b2")!, [0.5, -0.5]);
  });
});
