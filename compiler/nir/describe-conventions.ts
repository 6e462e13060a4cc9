// The one sentence that says which conventions an import or export assumed: printed by the
// command and written into the imported spec's description, so a reader of either knows how the
// file's τ, r and w_in became α and weights, and what a spike does.

import { NIR_GAIN, type Conventions, type ResetMode } from "./conventions.ts";

const RESET_WORDS: Record<ResetMode, string> = {
  subtract: "reset by subtraction at the step after a spike (snnTorch's default, Spyx)",
  subtract_same_step: "reset by subtraction in the step of the spike, before the next leak (subtract_same_step: snnTorch's reset_delay=False, Rockpool, Sinabs)",
  to_reset: "reset to v_reset (to_reset: NIR's and Norse's spikes)",
};

/** What the weights were multiplied by: NIR's r·(1 − α) (or r·dt/τ) unless the framework's own
 *  simulator adds W·x as it is (gain 1) or decays it once (α_syn). */
function gainWords(c: Conventions, types: ReadonlySet<string>): string {
  const g = c.inputGain ?? NIR_GAIN;
  const nir = `W = ${c.discretization === "exact" ? "r·(1 − α)" : "r·(dt/τ)"}·W_nir`;
  const words = (mode: "nir" | "one", kind: string) => (mode === "nir" ? `${kind}${nir}` : `${kind}per-step input gain 1 (W = W_nir, r unused)`);
  const hasLif = types.has("LIF") || types.has("CubaLIF");
  const hasLi = types.has("LI") || types.has("CubaLI");
  // Said per kind only where the file has both kinds and they differ.
  const parts = g.lif === g.li || !hasLi ? [words(g.lif, "")] : !hasLif ? [words(g.li, "")] : [words(g.lif, "LIF: "), words(g.li, "LI: ")];
  if (types.has("CubaLIF") || types.has("CubaLI")) {
    if (g.synapse === "one") parts.push("CubaLIF synaptic gain 1 (w_in unused)");
    if (g.synapse === "alpha_syn") parts.push("CubaLIF synaptic gain α_syn (the current decays once before the membrane reads it)");
  }
  return parts.join(", ");
}

/** One sentence for a spec's description and the command's output; `types`: the graph's node
 *  types (what it says about IF and CubaLIF nodes is said only when there are some); `exporter`:
 *  the framework whose conventions these are (its display name). */
export function describeConventions(c: Conventions, types: Iterable<string> = [], exporter?: string): string {
  const present = new Set(types);
  const withIf = present.has("IF");
  const disc = c.discretization === "exact" ? `exact discretisation (α = exp(−dt/τ), ${gainWords(c, present)})` : `Euler discretisation (α = 1 − dt/τ, ${gainWords(c, present)})`;
  const reset = RESET_WORDS[c.reset];
  const gain =
    (c.ifGain ?? "literal") === "literal"
      ? "IF nodes read literally (v += dt·r·I; Sinabs files need --if-gain per-step)"
      : "IF nodes read per step (v += r·I, Sinabs' convention)";
  return `${exporter ? `${exporter}'s conventions: ` : ""}dt = ${c.dtMs} ms, ${disc}, ${reset}${withIf ? `, ${gain}` : ""}`;
}
