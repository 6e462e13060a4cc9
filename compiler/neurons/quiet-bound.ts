// The membrane below which a LIF neuron without input can neither spike nor be active again, as a
// float32 the CPU forward compares V with (templates/cpu/kernels/forward-lif.hbs lets such words
// of neurons wait). With V_rest = 0, the update without input and without a spike is
// V ← fl(α·V) (α ≤ 1), so V stays between 0 and where it is: no later V exceeds max(V, 0). The
// kernels ask `fires(v) = fl(v − V_th) > 0` and `is_active(v) = |fl(v − V_th)| < B_th` in float32;
// both are monotone in v, so "neither, at every later step" is max(V, 0) ≤ Q for the largest
// float32 Q with fl(Q − V_th) ≤ −B_th, found here exactly by stepping float32 neighbours.

import type { MembraneParams } from "./model.ts";

const f32 = Math.fround;

/** The float32 after x toward +∞ (x finite). */
function nextUp(x: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, x);
  if (x === 0) return 1.401298464324817e-45;
  const bits = buf.getInt32(0);
  buf.setInt32(0, x > 0 ? bits + 1 : bits - 1);
  return buf.getFloat32(0);
}

function nextDown(x: number): number {
  return -nextUp(-x);
}

/** float32 x − y, rounded once (two float32s differ exactly in a double at these magnitudes). */
function sub32(x: number, y: number): number {
  return f32(x - y);
}

/**
 * Q: the largest float32 V at which a neuron without input stays out of the band and below the
 * threshold forever, or null when there is none to use (V_rest ≠ 0, or the band reaches below 0).
 */
export function quietBound(p: MembraneParams): number | null {
  if (p.vRest !== 0) return null;
  const vth = f32(p.vTh);
  const bth = f32(p.bTh);
  const quiet = (x: number) => sub32(x, vth) <= -bth;
  let q = f32(vth - bth);
  while (!quiet(q)) q = nextDown(q);
  while (quiet(nextUp(q))) q = nextUp(q);
  return q >= 0 ? q : null;
}
