// C literals for the templates: templates never do arithmetic, they paste these strings.

/** Shortest decimal that rounds to the same float32, as a C float literal: exp(−0.1) → "0.9048374f". */
export function f32(x: number): string {
  if (Number.isNaN(x)) throw new RangeError("NaN has no C literal");
  if (x === Infinity) return "INFINITY";
  if (x === -Infinity) return "(-INFINITY)";
  const target = Math.fround(x);
  let text = String(target);
  for (let p = 1; p <= 9; p++) {
    const candidate = target.toPrecision(p);
    if (Math.fround(Number(candidate)) === target) {
      text = candidate;
      break;
    }
  }
  text = String(Number(text)).replace("e+", "e");
  if (!/[.e]/.test(text)) text += ".0";
  return `${text}f`;
}

export function bool(x: boolean): string {
  return x ? "true" : "false";
}

/** The double nearest x as a C double literal (JavaScript's shortest round-trip form): 0.5 → "0.5". */
export function f64(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${x} has no C double literal here`);
  const text = String(x).replace("e+", "e");
  return /[.e]/.test(text) ? text : `${text}.0`;
}
