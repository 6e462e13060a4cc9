// Loss terms of docs/design.md §2 and their derivatives, in float64, one sample / one layer at a time.
//   L = CE + (1/B)·Σ_b Σ_hidden (L_low + L_up)
//   CE    = −(1/B)·Σ_b log softmax(a_b)[y_b]
//   L_low = (λ_low/N)·Σ_i max(0, ν_low − ζ_i)²
//   L_up  = λ_up·max(0, (1/N)·Σ_i ζ_i − ν_up)
// Kinks of max(0, x) take derivative 0 at x = 0 exactly (x > 0 strictly).

export interface Penalty {
  lambda: number;
  nu: number;
}

/** log Σ_c exp(a_c), stable. */
export function logSumExp(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let c = 0; c < a.length; c++) m = Math.max(m, a[c]);
  let s = 0;
  for (let c = 0; c < a.length; c++) s += Math.exp(a[c] - m);
  return m + Math.log(s);
}

/** softmax(a) */
export function softmax(a: ArrayLike<number>): number[] {
  const lse = logSumExp(a);
  return Array.from(a, (x) => Math.exp(x - lse));
}

/** −log softmax(a)[y] for one sample. */
export function sampleCrossEntropy(a: ArrayLike<number>, y: number): number {
  return logSumExp(a) - a[y];
}

/** ∂(−log softmax(a)[y])/∂a_c = softmax(a)_c − [c = y], for one sample. */
export function sampleCrossEntropyGrad(a: ArrayLike<number>, y: number): number[] {
  const p = softmax(a);
  p[y] -= 1;
  return p;
}

/** L_low of one sample and one layer; ζ = spike counts of that layer's N neurons. */
export function activityLow(zeta: ArrayLike<number>, p: Penalty): number {
  const N = zeta.length;
  let s = 0;
  for (let i = 0; i < N; i++) {
    const x = Math.max(0, p.nu - zeta[i]);
    s += x * x;
  }
  return (p.lambda / N) * s;
}

/** ∂L_low/∂ζ_i = −(2λ_low/N)·max(0, ν_low − ζ_i). */
export function activityLowGrad(zeta: ArrayLike<number>, i: number, p: Penalty): number {
  const N = zeta.length;
  const x = p.nu - zeta[i];
  return x > 0 ? (-2 * p.lambda * x) / N : 0;
}

/** L_up of one sample and one layer. */
export function activityUp(zeta: ArrayLike<number>, p: Penalty): number {
  const x = mean(zeta) - p.nu;
  return x > 0 ? p.lambda * x : 0;
}

/** ∂L_up/∂ζ_i = λ_up/N when (1/N)·Σζ − ν_up > 0, else 0 (the same for every i). */
export function activityUpGrad(zeta: ArrayLike<number>, p: Penalty): number {
  const x = mean(zeta) - p.nu;
  return x > 0 ? p.lambda / zeta.length : 0;
}

function mean(zeta: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < zeta.length; i++) s += zeta[i];
  return s / zeta.length;
}
