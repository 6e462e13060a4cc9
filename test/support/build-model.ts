// Test helper: spec (object or file) → IR → emitted, built and loaded addon on one backend.

import { resolveSpec } from "../../compiler/spec/defaults.ts";
import { loadSpecOrThrow } from "../../compiler/spec/index.ts";
import type { NetworkSpec } from "../../compiler/spec/types.ts";
import { lowerSpec } from "../../compiler/ir/lower.ts";
import type { Network } from "../../compiler/ir/types.ts";
import { compileAndBuild, sourceLabel } from "../../compiler/pipeline.ts";
import { loadAddon, type NativeAddon } from "../../runtime/model/native.ts";

export function networkOf(spec: NetworkSpec | string): Network {
  return lowerSpec(typeof spec === "string" ? loadSpecOrThrow(spec).spec : resolveSpec(spec));
}

export async function buildModel(
  spec: NetworkSpec | string,
  backend: "cpu" | "cuda" = "cpu",
): Promise<{ net: Network; addon: NativeAddon; addonPath: string }> {
  const net = networkOf(spec);
  const built = await compileAndBuild(net, backend, typeof spec === "string" ? sourceLabel(spec) : `random spec ${net.name}`);
  return { net, addon: loadAddon(built.addonPath), addonPath: built.addonPath };
}
