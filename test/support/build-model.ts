// Test helper: spec (object or file) → IR → emitted, built and loaded addon on one backend.

import { resolveSpec } from "../../compiler/spec/defaults.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { compileAndBuild, sourceLabel, type BuildVariant } from "../../compiler/pipeline.ts";
import { loadAddon, type NativeAddon } from "../../runtime/model/native.ts";

export function networkOf(spec: NetworkSpec | string): Network {
  return lowerSpec(typeof spec === "string" ? loadSpecOrThrow(spec).spec : resolveSpec(spec));
}

/** `variant`: a CUDA build other than the default (e.g. `{ emulated: true }`, the CUDA sources built
 *  against HIP-CPU); every variant has its own folder, and every test of a spec shares each build. */
export async function buildModel(
  spec: NetworkSpec | string,
  backend: "cpu" | "cuda" = "cpu",
  variant: BuildVariant = {},
): Promise<{ net: Network; addon: NativeAddon; addonPath: string }> {
  const { net, addonPath } = await buildModelAddon(spec, backend, variant);
  return { net, addon: loadAddon(addonPath), addonPath };
}

/** buildModel without loading the addon here (an AddressSanitizer build loads only into a process
 *  that has libasan preloaded). */
export async function buildModelAddon(spec: NetworkSpec | string, backend: "cpu" | "cuda" = "cpu", variant: BuildVariant = {}): Promise<{ net: Network; addonPath: string }> {
  const net = networkOf(spec);
  const built = await compileAndBuild(net, backend, typeof spec === "string" ? sourceLabel(spec) : `random spec ${net.name}`, variant);
  return { net, addonPath: built.addonPath };
}
