// The racecheck build of the emulated CUDA files (the `racecheck` build variant, for tests):
// compute-sanitizer's racecheck for __shared__ memory, and the same check for device memory, on the
// CPU, with the bounds of every __shared__ variable (templates/emulated-cuda/racecheck.h says how).
// kernels.cu is the CUDA backend's, with each __shared__ variable declared between two guards and
// registered (device buffers are registered by the emulated cudaMalloc);
// templates/emulated-cuda/racecheck.cmake compiles it with -fsanitize=thread against snnc's own
// hooks (racecheck.cpp).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../../plan/types.ts";
import { withManifest, type EmittedFile } from "../emit.ts";
import { TEMPLATE_ROOT } from "../render.ts";

/** A `__shared__` declaration line taken apart: `__shared__ <type> <name><dims>;` (the type may be
 *  a union with its own semicolons: `__shared__ union { … } s_delta_or_entry;`). */
export interface SharedDeclaration {
  indent: string;
  type: string;
  name: string;
  dims: string;
  /** What follows the declaration's semicolon (a comment). */
  rest: string;
}

export function parseShared(line: string): SharedDeclaration | null {
  const code = line.split("//")[0];
  const end = code.lastIndexOf(";");
  const head = /^(\s*)__shared__\s+/.exec(code);
  if (!head || end < 0) return null;
  const declaration = code.slice(head[0].length, end);
  const dims = /(\s*\[[^\]]*\])*\s*$/.exec(declaration)![0];
  const named = /^(.*\S)\s+([A-Za-z_]\w*)$/.exec(declaration.slice(0, declaration.length - dims.length));
  if (!named) return null;
  return { indent: head[1], type: named[1], name: named[2], dims: dims.trim(), rest: line.slice(end + 1) };
}

/** Bytes of guard on either side of each __shared__ variable in this build. */
export const SHARED_GUARD_BYTES = 64;

/** kernels.cu with every __shared__ variable checked: declared inside a struct with a guard before
 *  and after it (an access to a guard is out of the variable's bounds), the kernel's name bound to
 *  the variable inside, and registered (SNNC_RACECHECK_SHARED). Throws on a declaration it cannot
 *  take apart: an unregistered variable would go unchecked. */
export function registerShared(kernels: string): string {
  return kernels
    .split("\n")
    .map((line) => {
      if (!/^\s*__shared__\s/.test(line)) return line;
      const d = parseShared(line);
      if (d === null) throw new Error(`internal error: racecheck cannot name the variable of "${line.trim()}"`);
      const guard = `char guard[${SHARED_GUARD_BYTES}]`;
      return (
        `${d.indent}__shared__ struct { ${guard}; ${d.type} v${d.dims}; char guard_after[${SHARED_GUARD_BYTES}]; } ${d.name}_guarded; ` +
        `auto& ${d.name} = ${d.name}_guarded.v; SNNC_RACECHECK_SHARED(${d.name});${d.rest}`
      );
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
