// The CUDA step launch flags (--step-graph, --overlap-upload; compiler/plan/plan-options.ts) shared
// by the commands that build a CUDA model. Experimental and off by default: only an explicit
// --backend cuda takes them (auto never turns them on), anything else is a usage error.

import { Option } from "commander";
import type { StepLaunchOptions } from "../../compiler/plan/plan-options.ts";
import { UsageError } from "./fail.ts";

export interface StepLaunchFlags {
  stepGraph?: boolean;
  overlapUpload?: boolean;
}

const NOTE = "CUDA only, experimental, not yet verified on a GPU";

export function stepLaunchOptions(): Option[] {
  return [
    new Option("--step-graph", `capture a training step's launches once into a CUDA graph and replay it (${NOTE})`),
    new Option("--overlap-upload", `upload the next batch's input events from pinned memory while the current step runs (${NOTE})`),
  ];
}

/** The plan options the flags ask for; a usage error unless the backend is an explicit `cuda`. */
export function stepLaunchFromFlags(flags: StepLaunchFlags, backend: string): StepLaunchOptions {
  const on = [...(flags.stepGraph ? ["--step-graph"] : []), ...(flags.overlapUpload ? ["--overlap-upload"] : [])];
  if (on.length === 0) return {};
  if (backend !== "cuda")
    throw new UsageError(
      `${on.join(" and ")} ${on.length > 1 ? "are" : "is"} CUDA only (experimental): use ${on.length > 1 ? "them" : "it"} with --backend cuda, not --backend ${backend}`,
    );
  return { stepGraph: flags.stepGraph ?? false, overlapUpload: flags.overlapUpload ?? false };
}
