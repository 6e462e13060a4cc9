// The backends by name.

import type { Backend, BackendName } from "./backend.ts";
import { cpu } from "./cpu/backend.ts";
import { cuda } from "./cuda/backend.ts";

export type { Backend, BackendName } from "./backend.ts";

export const BACKENDS: Record<BackendName, Backend> = { cpu, cuda };

export function isBackendName(x: string): x is BackendName {
  return x === "cpu" || x === "cuda";
}
