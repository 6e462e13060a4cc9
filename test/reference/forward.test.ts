import { describe, expect, it } from "vitest";
import type { Network } from "../../compiler/ir/types.ts";
import { packBatch } from "../../runtime/data/spike-batch.ts";
import { buildNetwork } from "./helpers.ts";
import { referenceBackward, referenceForward, referenceMargins } from "./index.ts";

// 1 input → 1 hidden LIF neuron → 2 readout classes, T = 5, numbers chosen to be exact in binary.
// Hidden: α = 0.5, V_rest = 0.25, V_th = 1, V_r = 0 (reset 1), W1 = 0.75, input spikes at t = 0…3.
//   V1 = 0.5·(0 − 0.25) + 0.25 + 0.75             = 0.875     S1 = 0
//   V2 = 0.5·(0.875 − 0.25) + 0.25 + 0.75         = 1.3125    S2 = 1
//   V3 = 0.5·(1.3125 − 0.25) + 0.25 + 0.75 − 1    = 0.53125   S3 = 0
//   V4 = 0.5·(0.53125 − 0.25) + 0.25 + 0.75       = 1.140625  S4 = 1
// Readout: α = 0.5, V_rest = 0, W2 = [0.5, −0.25]:  V_c[t+1] = 0.5·V_c[t] + W2_c·S[t]
//   class 0: 0, 0, 0, 0.5, 0.25       class 1: 0, 0, 0, −0.25, −0.125
function tiny(logits: "max" | "sum", beta = 2, bTh = 0.2): Network {
  return buildNetwork({
    inputs: 1,
    steps: 5,
    hidden: [{ size: 1, alpha: 0.5, vTh: 1, vReset: 0, vRest: 0.25, beta, bTh }],
    readout: { classes: 2, alpha: 0.5, vRest: 0, logits },
  });
}
const W = () => [Float64Array.of(0.75), Float64Array.of(0.5, -0.25)];
const tinyBatch = (times = [0, 1, 2, 3], label = 0) =>
  packBatch([{ times: Int32Array.from(times), units: new Int32Array(times.length), label }], 5, 1);

describe("referenceForward on a hand-computed case", () => {
  it("gives the hand-computed hidden V and S", () => {
    const f = referenceForward(tiny("max"), W(), tinyBatch());
    expect(Array.from(f.hidden[0].V)).toEqual([0, 0.875, 1.3125, 0.53125, 1.140625]);
    expect(Array.from(f.hidden[0].S)).toEqual([0, 0, 1, 0, 1]);
    expect(Array.from(f.spikeCounts[0])).toEqual([2]);
  });

  it("gives the readout V, max logits (first maximising t on ties) and CE", () => {
    const f = referenceForward(tiny("max"), W(), tinyBatch());
    // layout (b·T + t)·C + c
    expect(Array.from(f.readoutV)).toEqual([0, 0, 0, 0, 0, 0, 0.5, -0.25, 0.25, -0.125]);
    expect(Array.from(f.logits)).toEqual([0.5, 0]);
    expect(Array.from(f.argmax)).toEqual([3, 0]); // class 1 ties at t = 0, 1, 2 → 0
    expect(f.loss.ce).toBeCloseTo(Math.log(1 + Math.exp(-0.5)), 15);
    expect(f.loss.low).toBe(0);
    expect(f.loss.up).toBe(0);
    expect(f.loss.total).toBe(f.loss.ce);
    expect(f.correct).toBe(1);
    const wrong = referenceForward(tiny("max"), W(), tinyBatch([0, 1, 2, 3], 1));
    expect(wrong.correct).toBe(0);
    expect(wrong.loss.ce).toBeCloseTo(Math.log(1 + Math.exp(0.5)), 15);
  });

  it("gives sum logits", () => {
    const f = referenceForward(tiny("sum"), W(), tinyBatch());
    expect(Array.from(f.logits)).toEqual([0.75, -0.375]);
    expect(Array.from(f.argmax)).toEqual([-1, -1]);
    expect(f.loss.ce).toBeCloseTo(Math.log(1 + Math.exp(-1.125)), 15);
  });

  it("never uses the input at the last step", () => {
    const a = referenceForward(tiny("max"), W(), tinyBatch());
    const b = referenceForward(tiny("max"), W(), tinyBatch([0, 1, 2, 3, 4]));
    expect(b.hidden[0].V).toEqual(a.hidden[0].V);
    expect(b.readoutV).toEqual(a.readoutV);
  });

  it("spikes only strictly above threshold", () => {
    // α = 0.5, V_rest = 0, W = 0.5, V_th = 0.75: V = 0, 0.5, 0.75 (= V_th, no spike), 0.875 (spike)
    const net = buildNetwork({
      inputs: 1,
      steps: 4,
      hidden: [{ size: 1, alpha: 0.5, vTh: 0.75, vReset: 0, vRest: 0 }],
      readout: { classes: 2 },
    });
    const batch = packBatch([{ times: Int32Array.of(0, 1, 2), units: Int32Array.of(0, 0, 0), label: 0 }], 4, 1);
    const f = referenceForward(net, [Float64Array.of(0.5), Float64Array.of(1, 0)], batch);
    expect(Array.from(f.hidden[0].V)).toEqual([0, 0.5, 0.75, 0.875]);
    expect(Array.from(f.hidden[0].S)).toEqual([0, 0, 0, 1]);
    expect(referenceMargins(net, f).threshold).toBe(0);
  });

  it("gives the hand-computed BPTT gradient (max logits, full and truncated surrogate)", () => {
    const net = tiny("max", 2, 0.2);
    const f = referenceForward(net, W(), tinyBatch());
    const p0 = 1 / (1 + Math.exp(-0.5));
    const dA0 = p0 - 1;
    const g = (v: number) => 1 / (2 * Math.abs(v - 1) + 1) ** 2;
    // Readout δ_0 = [⅛, ¼, ½, 1, 0]·dA0 (argmax t = 3); δ_1 only at t = 0 (constant V[0]).
    // ∂L/∂W2_0 = S[2]·δ_0[3] = dA0; ∂L/∂W2_1 = 0.
    // Hidden ∂L/∂S[t] = 0.5·δ_0[t+1]: t=1: ¼dA0, t=2: ½dA0, t=3: 0, t=4: 0.
    const d2 = 0.5 * dA0 * g(1.3125);
    const d1 = 0.25 * dA0 * g(0.875) + 0.5 * d2;
    const full = referenceBackward(net, W(), tinyBatch(), f, "full");
    expect(full.dLdLogits[0]).toBeCloseTo(dA0, 15);
    expect(full.dLdLogits[1]).toBeCloseTo(1 - p0, 15);
    expect(full.gradW[1][0]).toBeCloseTo(dA0, 15);
    expect(full.gradW[1][1]).toBe(0);
    expect(full.gradW[0][0]).toBeCloseTo(d1 + d2, 15);
    // Truncated, B_th = 0.2: |V2 − 1| = 0.3125 is outside the band, |V1 − 1| = 0.125 inside.
    const trunc = referenceBackward(net, W(), tinyBatch(), f, "truncated");
    expect(trunc.gradW[1][0]).toBeCloseTo(dA0, 15);
    expect(trunc.gradW[0][0]).toBeCloseTo(0.25 * dA0 * g(0.875), 15);
  });

  it("gives the hand-computed readout gradient for sum logits", () => {
    const net = tiny("sum");
    const f = referenceForward(net, W(), tinyBatch());
    const p0 = 1 / (1 + Math.exp(-1.125));
    // δ_c[t] = dA_c·(1 + α + … ) over t..T−1; S = [0,0,1,0,1]: ∂L/∂W2_c = δ_c[3] = dA_c·(1 + 0.5)
    const b = referenceBackward(net, W(), tinyBatch(), f, "full");
    expect(b.gradW[1][0]).toBeCloseTo((p0 - 1) * 1.5, 15);
    expect(b.gradW[1][1]).toBeCloseTo((1 - p0) * 1.5, 15);
  });
});

describe("referenceForward input checks", () => {
  it("rejects layers it does not support", () => {
    const net = buildNetwork({ inputs: 4, steps: 3, hidden: [{ size: 2 }], readout: { classes: 2 } });
    net.layers.unshift({ id: "l0", index: 0, kind: "lstm", inShape: [4], outShape: [4], nIn: 4, nOut: 4 } as unknown as Network["layers"][number]);
    const batch = packBatch([{ times: new Int32Array(0), units: new Int32Array(0), label: 0 }], 3, 4);
    expect(() => referenceForward(net, [new Float64Array(8), new Float64Array(4)], batch)).toThrow(
      "reference: layer kind lstm not supported",
    );
  });

  it("rejects weights of the wrong size", () => {
    const net = buildNetwork({ inputs: 4, steps: 3, hidden: [{ size: 2 }], readout: { classes: 2 } });
    const batch = packBatch([{ times: new Int32Array(0), units: new Int32Array(0), label: 0 }], 3, 4);
    expect(() => referenceForward(net, [new Float64Array(7), new Float64Array(4)], batch)).toThrow(/weights\[0\]/);
  });
});
