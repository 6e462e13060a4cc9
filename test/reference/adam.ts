// Textbook Adam with bias correction, in place, float64.

export function referenceAdam(
  w: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  step: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
): void {
  if (!(Number.isInteger(step) && step >= 1)) throw new RangeError(`reference: Adam step must be an integer ≥ 1, got ${step}`);
  const c1 = 1 - Math.pow(beta1, step);
  const c2 = 1 - Math.pow(beta2, step);
  for (let i = 0; i < w.length; i++) {
    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    const mHat = m[i] / c1;
    const vHat = v[i] / c2;
    w[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
  }
}
