// A direct float64 simulation of a NIR graph's continuous semantics (docs/design.md §8),
// discretised by step dt, sharing no code with compiler/nir: it reads the NIR parameters as they
// are (per-neuron arrays, r, τ in seconds, Scale nodes) and walks the edges itself.
//
//   LIF:  exact  v ← v_leak + (v − v_leak)·e^(−dt/τ) + r·(1 − e^(−dt/τ))·I − (v_th − v_reset)·s_prev
//         euler  v ← v + (dt/τ)·(v_leak − v + r·I)                       − (v_th − v_reset)·s_prev
//         s = v > v_th      (subtractive reset at the step after a spike: snnTorch's convention)
//   LI:   the same without spike and reset.
//
// Every node passes its output on within the same step (x[t] → s1[t] → s2[t] → v_out[t]), as
// snnTorch does. snnc delays each layer by one step instead (its input at t acts on V[t+1]), so a
// network of L layers gives snnc V_l[t + l] = v_l[t]: the test compares with that shift.

import type { NirArray, NirGraph } from "../../compiler/nir/graph.ts";

export interface SimResult {
  /** Per LIF node in chain order: spikes [t][j] flattened t·N + j. */
  spikes: { node: string; n: number; s: Uint8Array }[];
  /** The LI readout's v [t][j]. */
  readout: { node: string; n: number; v: Float64Array };
  /** Smallest |v − v_th| over every LIF neuron and step (a tie-free run has it well above 0). */
  margin: number;
}

const arr = (v: unknown) => v as NirArray;
const at = (a: NirArray, j: number) => (a.data.length === 1 ? a.data[0] : a.data[j]);

function chain(graph: NirGraph): string[] {
  const start = [...graph.nodes].find(([, n]) => n.type === "Input")![0];
  const order = [start];
  for (;;) {
    const next = graph.edges.filter(([a]) => a === order[order.length - 1]).map(([, b]) => b);
    if (next.length === 0) return order;
    order.push(next[0]);
  }
}

/** x: T·nIn input spikes of one sample. */
export function simulateNir(graph: NirGraph, x: Uint8Array, steps: number, dtMs: number, discretization: "exact" | "euler"): SimResult {
  const dt = dtMs / 1000;
  const order = chain(graph);
  const state = new Map<string, { v: Float64Array; s: Uint8Array }>();
  const spikes: SimResult["spikes"] = [];
  let readout: SimResult["readout"] | null = null;
  let margin = Infinity;
  const nIn = Number(arr(graph.nodes.get(order[0])!.params.shape).data.reduce((a, b) => a * b, 1));
  for (let t = 0; t < steps; t++) {
    let cur = Float64Array.from(x.subarray(t * nIn, (t + 1) * nIn));
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
        case "LIF":
        case "LI": {
          const n = cur.length;
          if (!state.has(name)) state.set(name, { v: new Float64Array(n), s: new Uint8Array(n) });
          const st = state.get(name)!;
          const spiking = node.type === "LIF";
          const next = new Uint8Array(n);
          for (let j = 0; j < n; j++) {
            const tau = at(arr(p.tau), j);
            const r = at(arr(p.r), j);
            const leak = at(arr(p.v_leak), j);
            let v = st.v[j];
            if (discretization === "exact") {
              const a = Math.exp(-dt / tau);
              v = leak + (v - leak) * a + r * (1 - a) * cur[j];
            } else v = v + (dt / tau) * (leak - v + r * cur[j]);
            if (spiking) {
              const th = at(arr(p.v_threshold), j);
              const reset = p.v_reset === undefined ? 0 : at(arr(p.v_reset), j);
              v -= (th - reset) * st.s[j];
              margin = Math.min(margin, Math.abs(v - th));
              next[j] = v > th ? 1 : 0;
            }
            st.v[j] = v;
          }
          if (spiking) {
            st.s = next;
            let rec = spikes.find((e) => e.node === name);
            if (!rec) spikes.push((rec = { node: name, n, s: new Uint8Array(steps * n) }));
            rec.s.set(next, t * n);
            cur = Float64Array.from(next);
          } else {
            if (!readout) readout = { node: name, n, v: new Float64Array(steps * n) };
            readout.v.set(st.v, t * n);
            cur = Float64Array.from(st.v);
          }
          break;
        }
        case "Output":
          break;
        default:
          throw new Error(`nir-sim: node type ${node.type} not simulated`);
      }
    }
  }
  return { spikes, readout: readout!, margin };
}
