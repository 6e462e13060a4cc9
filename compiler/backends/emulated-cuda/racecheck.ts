// The racecheck build of the emulated CUDA files (the `racecheck` build variant, for tests):
// compute-sanitizer's racecheck for __shared__ memory, and the same check for device memory, on the
// CPU (templates/emulated-cuda/racecheck.h says how). kernels.cu is the CUDA backend's, with each
// __shared__ declaration followed by the line that registers it (device buffers are registered by
// the emulated cudaMalloc); templates/emulated-cuda/racecheck.cmake compiles it with
// -fsanitize=thread against snnc's own hooks (racecheck.cpp).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../../plan/types.ts";
import { withManifest, type EmittedFile } from "../emit.ts";
import { TEMPLATE_ROOT } from "../render.ts";

/** The variable a `__shared__` declaration line declares: the last name before its array sizes
 *  (`__shared__ uint32_t s_in_off[T + 1];`, `__shared__ union { … } s_delta_or_entry;`). */
export function sharedName(line: string): string | null {
  const code = line.split("//")[0];
  const end = code.lastIndexOf(";");
  if (!/^\s*__shared__\s/.test(code) || end < 0) return null;
  const declarator = code.slice(0, end).replace(/(\s*\[[^\]]*\])+\s*$/, "");
  return /([A-Za-z_]\w*)\s*$/.exec(declarator)?.[1] ?? null;
}

/** kernels.cu with SNNC_RACECHECK_SHARED(name) after every __shared__ declaration. Throws on a
 *  declaration it cannot name: an unregistered variable would go unchecked. */
export function registerShared(kernels: string): string {
  return kernels
    .split("\n")
    .map((line) => {
      if (!/^\s*__shared__\s/.test(line)) return line;
      const name = sharedName(line);
      if (name === null) throw new Error(`internal error: racecheck cannot name the variable of "${line.trim()}"`);
      const code = line.split("//")[0];
      const end = code.lastIndexOf(";") + 1;
      return `${line.slice(0, end)} SNNC_RACECHECK_SHARED(${name});${line.slice(end)}`;
    })
    .join("\n");
}

/** The emulated CUDA files (emulateCudaFiles) as the racecheck build; a new manifest, so its content
 *  hash and the build stamp follow. */
export function withRacecheck(plan: Plan, source: string, files: EmittedFile[]): EmittedFile[] {
  const template = (name: string) => readFileSync(join(TEMPLATE_ROOT, "emulated-cuda", name), "utf8");
  const kept = files
    .filter((f) => f.path !== "manifest.json")
    .map((f) =>
      f.path === "CMakeLists.txt" ? { ...f, content: `${f.content.trimEnd()}\n${template("racecheck.cmake")}` }
      : f.path === "kernels.cu" ? { ...f, content: registerShared(f.content) }
      : f,
    );
  return withManifest(
    plan,
    "cuda",
    source,
    [...kept, { path: "emulated/racecheck.h", content: template("racecheck.h") }, { path: "emulated/racecheck.cpp", content: template("racecheck.cpp") }],
    true,
  );
}
