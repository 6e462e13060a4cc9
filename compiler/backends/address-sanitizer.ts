// The AddressSanitizer build of a backend's files (the `asan` build variant, for tests): the same
// sources, with templates/shared/address-sanitizer.cmake appended to the CMakeLists, so each
// buffer's bounds are checked as the kernels run (test/backends/asan.ts runs them). The
// CPU backend's build and the emulated CUDA build take it alike.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../plan/types.ts";
import type { BackendName } from "./index.ts";
import { withManifest, type EmittedFile, type Manifest } from "./emit.ts";
import { TEMPLATE_ROOT } from "./render.ts";

/** `files` (with their manifest) as the AddressSanitizer build; a new manifest, so its content hash
 *  and the build stamp follow the flags. */
export function withAddressSanitizer(plan: Plan, backend: BackendName, source: string, files: EmittedFile[]): EmittedFile[] {
  const manifest = JSON.parse(files.find((f) => f.path === "manifest.json")!.content) as Manifest;
  const cmake = readFileSync(join(TEMPLATE_ROOT, "shared", "address-sanitizer.cmake"), "utf8");
  const kept = files.filter((f) => f.path !== "manifest.json").map((f) => (f.path === "CMakeLists.txt" ? { ...f, content: `${f.content.trimEnd()}\n${cmake}` } : f));
  return withManifest(plan, backend, source, kept, manifest.emulated === true);
}
