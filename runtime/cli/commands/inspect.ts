// `snnc inspect <spec>`: the IR with every resolved constant, the shapes, the kernel plan and the
// memory plan (`--json` for machines), or with `--emit [kernel]` the emitted source of a backend.

import { basename } from "node:path";
import { Option, type Command } from "commander";
import type { BackendName } from "../../../compiler/backends/index.ts";
import { lowerSpec } from "../../../compiler/ir/lower.ts";
import { buildPlan, PlanError } from "../../../compiler/plan/build-plan.ts";
import { planOptionsFor } from "../../../compiler/backends/plan-options.ts";
import type { Plan } from "../../../compiler/plan/types.ts";
import { loadSpecOrThrow } from "../../../compiler/spec/index.ts";
import { UsageError } from "../fail.ts";
import { inspectJson, inspectText } from "../inspect-report.ts";
import { findKernelSource } from "../kernel-source.ts";
import { assertBackendAvailable, assertTimeParallelBackend, backendOption, positiveInt, timeParallelOption, withSpecFile } from "../options.ts";
import { stepLaunchFromFlags, stepLaunchOptions, type StepLaunchFlags } from "../step-launch-flags.ts";

export interface InspectFlags extends StepLaunchFlags {
  json?: boolean;
  batch?: number;
  emit?: boolean | string;
  backend: BackendName;
  timeParallel?: boolean;
}

export function register(program: Command): void {
  program
    .command("inspect")
    .description("show the resolved network, its kernel plan and memory plan, or the emitted source")
    .argument("<spec>", "spec file")
    .option("--json", "print one JSON object {network, plan, memory} instead of tables")
    .option("--batch <n>", "size the memory plan for this batch (default: the spec's)", positiveInt)
    .addOption(new Option("--emit [kernel]", "print the emitted source of --backend: every file, or only the named kernel"))
    .addOption(backendOption())
    .addOption(timeParallelOption())
    .addOption(stepLaunchOptions()[0])
    .addOption(stepLaunchOptions()[1])
    .addHelpText(
      "after",
      "\nExamples:\n  snnc inspect models/fmnist.json\n  snnc inspect models/fmnist.json --batch 64 --json\n" +
        "  snnc inspect models/tiny.json --emit\n  snnc inspect models/fmnist.json --emit forward_lif_l1 --backend cuda\n" +
        "  snnc inspect models/fmnist.json --backend cuda --time-parallel",
    )
    .action(async (spec: string, flags: InspectFlags) => {
      assertTimeParallelBackend(flags.timeParallel, flags.backend);
      const launch = stepLaunchFromFlags(flags, flags.backend);
      const loaded = loadSpecOrThrow(spec);
      const network = lowerSpec(loaded.spec);
      let plan: Plan | { error: string };
      try {
        // The plan the backend asked for is built from (its options and the flags' variant).
        plan = buildPlan(network, flags.batch ?? network.training.batch, planOptionsFor(flags.backend, { timeParallel: flags.timeParallel, ...launch }));
      } catch (e) {
        if (!(e instanceof PlanError)) throw e;
        // --emit needs the plan: there the PlanError is the answer (exit 1).
        if (flags.emit !== undefined) withSpecFile(spec, () => { throw e; });
        plan = { error: e.message };
      }
      if (flags.emit !== undefined) {
        await emit(plan as Plan, spec, flags);
        return;
      }
      const input = { network, source: spec, description: loaded.spec.description, plan, backend: flags.backend };
      process.stdout.write(flags.json ? `${JSON.stringify(inspectJson(input), null, 2)}\n` : inspectText(input));
    });
}

async function emit(plan: Plan, spec: string, flags: InspectFlags): Promise<void> {
  assertBackendAvailable(flags.backend);
  const { emitBackend } = await import("../../../compiler/backends/emit.ts");
  const files = withSpecFile(spec, () => emitBackend(plan, flags.backend, basename(spec)));
  if (flags.emit === true) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ backend: flags.backend, files }, null, 2)}\n`);
    else for (const f of files) process.stdout.write(`==> ${f.path} <==\n${f.content.replace(/\n?$/, "\n")}\n`);
    return;
  }
  const name = String(flags.emit);
  const kernelFile = flags.backend === "cuda" ? "kernels.cu" : "kernels.cpp";
  const sources = [
    ...files.filter((f) => f.path === kernelFile),
    ...files.filter((f) => f.path !== kernelFile && /\.(cpp|cu|h|cuh)$/.test(f.path)),
  ];
  const planned = plan.kernels.map((k) => k.name);
  const found = findKernelSource(sources, name);
  if (!found) {
    if (planned.includes(name))
      throw new Error(`kernel ${name} is in the plan but the ${flags.backend} backend's ${kernelFile} does not define it`);
    throw new UsageError(`unknown kernel "${name}": the kernels of ${plan.network.name} are ${planned.join(", ")}`);
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ backend: flags.backend, kernel: name, ...found }, null, 2)}\n`);
    return;
  }
  const where = found.within ? `, inside ${found.within}()` : "";
  process.stdout.write(`// ${found.file}, lines ${found.firstLine}–${found.lastLine}${where}\n${found.text}\n`);
}
