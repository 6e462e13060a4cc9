// What a backend is: the files it emits (from which templates), the build flags it defaults to,
// and what it can generate. A spec is refused for a backend's limit only when that backend is
// asked for, with the backend named.

import type { PlanOptions } from "../plan/plan-options.ts";
import type { Plan } from "../plan/types.ts";
import type { RenderContext } from "./context/types.ts";

export type BackendName = "cpu" | "cuda";

export interface Backend {
  name: BackendName;
  /** The kernel file's extension. */
  kernelExt: "cpp" | "cu";
  /** Compiler flags of the kernels that the emitted CMakeLists.txt defaults to. */
  flags: string;
  /** [template path under templates/, emitted file name] */
  templates: [string, string][];
  /** The plan options this backend's plans are built with unless the caller says otherwise. */
  planDefaults: PlanOptions;
  /** Why this backend cannot generate the plan (one sentence naming the layer), or undefined. */
  unsupported(plan: Plan): string | undefined;
  /** The backend's additions to the neutral context (launch shapes, staging), and its flags. */
  context(base: RenderContext): RenderContext;
}
