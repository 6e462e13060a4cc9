// A direct float64 simulation of a NIR graph's continuous semantics (docs/design.md §8),
// discretised by step dt, sharing no code with compiler/nir: it reads the NIR parameters as they
// are (per-neuron arrays, r, τ in seconds, Scale nodes) and walks the edges itself.
//
//   LIF:  exact  v ← v_leak + (v − v_leak)·e^(−dt/τ) + r·(1 − e^(−dt/τ))·I − (v_th − v_reset)·s_prev
//         euler  v ← v + (dt/τ)·(v_leak − v + r·I)                       − (v_th − v_reset)·s_prev
//         s = v > v_th      (subtractive reset at the step after a spike: snnTorch's convention)
//   LI:   the same without spike and reset.
//
//   IF:   v ← v + g·r·I, g = dt (NIR's literal dv/dt = r·I) or 1 (Sinabs' per-step reading)
//   CubaLIF / CubaLI: the synapse first, its new current feeding the membrane (snnTorch's order):
//         exact  i ← i·e^(−dt/τ_syn) + w_in·(1 − e^(−dt/τ_syn))·I,  v as a LIF with input i
//         euler  i ← i + (dt/τ_syn)·(w_in·I − i),                   v as a LIF with input i
//   SumPool2d: the window's sum (stride = window, no padding: what the fixtures use).
//   reset "to_reset": NIR's own form, v ← v_reset in the step of the spike (instead of subtracting
//   V_th − V_reset at the next step).
//   Recurrence (an edge cycle lif → w_rec → lif through a Linear or Affine): the node's input at
//   step t gains W_rec·s[t − 1] (+ the Affine's bias, from the first step), its own spikes of the
//   previous step, as snnTorch's RLeaky/RSynaptic do (into the synapse under CubaLIF); snnc's
//   Σ_k S_k[t]·R_kj on the current of step t is the same, S[t] being the spikes of V[t].
//   A spiking node last before Output is a spiking readout: its spikes are recorded like a hidden
//   layer's (the last entry of `spikes`) and `readout` is null.
//
// Every node passes its output on within the same step (x[t] → s1[t] → s2[t] → v_out[t]), as
// snnTorch does. snnc delays each layer by one step instead (its input at t acts on V[t+1]), so a
// network of L layers gives snnc V_l[t + l] = v_l[t]: the test compares with that shift. That
// shift holds only while a layer is at rest until its input arrives; a bias drives every layer
// from the first step, so graphs with a bias past the first layer are simulated with `delayed`:
// each neuron node hands on its previous step's output (x[t] → v1[t], s1[t−1] → v2[t], …), which
// is the same discretisation with a one-step synaptic delay, and gives V_l[t + 1] = v_l[t].

export interface SimOptions {
  reset?: "subtract" | "to_reset";
  ifGain?: "literal" | "per-step";
  delayed?: boolean;
}

import type { NirArray, NirGraph } from "../../compiler/nir/graph.ts";

export interface SimResult {
  /** Per LIF node in chain order: spikes [t][j] flattened t·N + j. */
  spikes: { node: string; n: number; s: Uint8Array }[];
  /** The LI readout's v [t][j]; null when the readout spikes (its spikes are in `spikes`). */
  readout: { node: string; n: number; v: Float64Array } | null;
  /** Smallest |v − v_th| over every LIF neuron and step (a tie-free run has it well above 0). */
  margin: number;
}

const arr = (v: unknown) => v as NirArray;
const at = (a: NirArray, j: number) => (a.data.length === 1 ? a.data[0] : a.data[j]);

/** Recurrent weight nodes: a node whose only input and only output is one other node. */
function recurrentWeights(graph: NirGraph): Map<string, string> {
  const rec = new Map<string, string>();
  for (const name of graph.nodes.keys()) {
    const ins = graph.edges.filter(([, b]) => b === name).map(([a]) => a);
    const outs = graph.edges.filter(([a]) => a === name).map(([, b]) => b);
    if (ins.length === 1 && outs.length === 1 && ins[0] === outs[0] && ins[0] !== name) rec.set(ins[0], name);
  }
  return rec;
}

function chain(graph: NirGraph, rec: Map<string, string>): string[] {
  const start = [...graph.nodes].find(([, n]) => n.type === "Input")![0];
  const order = [start];
  const cycle = new Set(rec.values());
  for (;;) {
    const next = graph.edges.filter(([a, b]) => a === order[order.length - 1] && !cycle.has(b)).map(([, b]) => b);
    if (next.length === 0) return order;
    order.push(next[0]);
  }
}

/** x: T·nIn input spikes of one sample. */
export function simulateNir(graph: NirGraph, x: Uint8Array, steps: number, dtMs: number, discretization: "exact" | "euler", o: SimOptions = {}): SimResult {
  const dt = dtMs / 1000;
  const rec = recurrentWeights(graph);
  const order = chain(graph, rec);
  const state = new Map<string, { v: Float64Array; s: Uint8Array; i: Float64Array; out: Float64Array }>();
  const spikes: SimResult["spikes"] = [];
  let readout: SimResult["readout"] | null = null;
  let margin = Infinity;
  const nIn = Number(arr(graph.nodes.get(order[0])!.params.shape).data.reduce((a, b) => a * b, 1));
  for (let t = 0; t < steps; t++) {
    let cur: Float64Array = Float64Array.from(x.subarray(t * nIn, (t + 1) * nIn));
    let shape = [...arr(graph.nodes.get(order[0])!.params.shape).data];
    for (const name of order.slice(1)) {
      const node = graph.nodes.get(name)!;
      const p = node.params;
      switch (node.type) {
        case "Scale":
          cur = cur.map((c, i) => c * at(arr(p.scale), i));
          break;
        case "Linear":
        case "Affine": {
          const w = arr(p.weight);
          const [o, i] = w.shape;
          const y = new Float64Array(o);
          for (let r = 0; r < o; r++) {
            let acc = node.type === "Affine" ? at(arr(p.bias), r) : 0;
            for (let c = 0; c < i; c++) acc += w.data[r * i + c] * cur[c];
            y[r] = acc;
          }
          cur = y;
          shape = [o];
          break;
        }
        case "Conv2d": {
          const w = arr(p.weight);
          const [F, C, K] = w.shape;
          const [H, W] = shape.length === 3 ? [shape[1], shape[2]] : [shape[0], shape[1]];
          const s = arr(p.stride).data[0];
          const pad = arr(p.padding).data[0];
          const OH = Math.floor((H + 2 * pad - K) / s) + 1;
          const OW = Math.floor((W + 2 * pad - K) / s) + 1;
          const y = new Float64Array(F * OH * OW);
          for (let f = 0; f < F; f++)
            for (let oy = 0; oy < OH; oy++)
              for (let ox = 0; ox < OW; ox++) {
                let acc = at(arr(p.bias), f);
                for (let c = 0; c < C; c++)
                  for (let ky = 0; ky < K; ky++)
                    for (let kx = 0; kx < K; kx++) {
                      const iy = oy * s + ky - pad;
                      const ix = ox * s + kx - pad;
                      if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
                      acc += w.data[((f * C + c) * K + ky) * K + kx] * cur[(c * H + iy) * W + ix];
                    }
                y[(f * OH + oy) * OW + ox] = acc;
              }
          cur = y;
          shape = [F, OH, OW];
          break;
        }
        case "Flatten":
          shape = [cur.length];
          break;
        case "SumPool2d": {
          const k = arr(p.kernel_size).data[0];
          const [C, H, W] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
          const [OH, OW] = [Math.floor(H / k), Math.floor(W / k)];
          const y = new Float64Array(C * OH * OW);
          for (let c = 0; c < C; c++)
            for (let oy = 0; oy < OH; oy++)
              for (let ox = 0; ox < OW; ox++)
                for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) y[(c * OH + oy) * OW + ox] += cur[(c * H + oy * k + ky) * W + ox * k + kx];
          cur = y;
          shape = [C, OH, OW];
          break;
        }
        case "LIF":
        case "LI":
        case "IF":
        case "CubaLIF":
        case "CubaLI": {
          const n = cur.length;
          if (!state.has(name)) state.set(name, { v: new Float64Array(n), s: new Uint8Array(n), i: new Float64Array(n), out: new Float64Array(n) });
          const st = state.get(name)!;
          const spiking = node.type === "LIF" || node.type === "IF" || node.type === "CubaLIF";
          const cuba = node.type === "CubaLIF" || node.type === "CubaLI";
          const next = new Uint8Array(n);
          const wRec = rec.has(name) ? graph.nodes.get(rec.get(name)!)! : null;
          for (let j = 0; j < n; j++) {
            const r = at(arr(p.r), j);
            let input = cur[j];
            if (wRec) {
              const w = arr(wRec.params.weight);
              if (wRec.type === "Affine") input += at(arr(wRec.params.bias), j);
              for (let k = 0; k < n; k++) input += w.data[j * n + k] * st.s[k];
            }
            if (cuba) {
              const ts = at(arr(p.tau_syn), j);
              const wIn = p.w_in === undefined ? 1 : at(arr(p.w_in), j);
              if (discretization === "exact") {
                const as = Math.exp(-dt / ts);
                st.i[j] = st.i[j] * as + wIn * (1 - as) * input;
              } else st.i[j] = st.i[j] + (dt / ts) * (wIn * input - st.i[j]);
              input = st.i[j];
            }
            let v = st.v[j];
            if (node.type === "IF") v += ((o.ifGain ?? "literal") === "literal" ? dt : 1) * r * input;
            else {
              const tau = at(arr(cuba ? p.tau_mem : p.tau), j);
              const leak = at(arr(p.v_leak), j);
              if (discretization === "exact") {
                const a = Math.exp(-dt / tau);
                v = leak + (v - leak) * a + r * (1 - a) * input;
              } else v = v + (dt / tau) * (leak - v + r * input);
            }
            if (spiking) {
              const th = at(arr(p.v_threshold), j);
              const reset = p.v_reset === undefined ? 0 : at(arr(p.v_reset), j);
              if (o.reset !== "to_reset") v -= (th - reset) * st.s[j];
              margin = Math.min(margin, Math.abs(v - th));
              next[j] = v > th ? 1 : 0;
              if (o.reset === "to_reset" && next[j]) v = reset;
            }
            st.v[j] = v;
          }
          let out: Float64Array;
          if (spiking) {
            st.s = next;
            let rec = spikes.find((e) => e.node === name);
            if (!rec) spikes.push((rec = { node: name, n, s: new Uint8Array(steps * n) }));
            rec.s.set(next, t * n);
            out = Float64Array.from(next);
          } else {
            if (!readout) readout = { node: name, n, v: new Float64Array(steps * n) };
            readout.v.set(st.v, t * n);
            out = Float64Array.from(st.v);
          }
          // Delayed: the next layer reads this node's output of the previous step.
          if (o.delayed) [cur, st.out] = [st.out, out];
          else cur = out;
          break;
        }
        case "Output":
          break;
        default:
          throw new Error(`nir-sim: node type ${node.type} not simulated`);
      }
    }
  }
  return { spikes, readout, margin };
}
