// `snnc compile <spec> [--backend cpu|cuda] [--out dir]`: emits generated/<model>-<hash>/<backend>/
// (sources, CMakeLists.txt, package.json, manifest.json, model.ts), writing only changed files.

import type { Command } from "commander";
import type { BackendName } from "../../../compiler/backends/index.ts";
import { assertBackendAvailable, assertTimeParallelBackend, backendOption, displayPath, timeParallelOption, withSpecFile } from "../options.ts";
import { stepLaunchFromFlags, stepLaunchOptions, type StepLaunchFlags } from "../step-launch-flags.ts";

export interface CompileFlags extends StepLaunchFlags {
  backend: BackendName;
  out?: string;
  timeParallel?: boolean;
}

export function register(program: Command): void {
  program
    .command("compile")
    .description("emit the kernel sources of a spec into generated/<model>-<hash>/<backend>/")
    .argument("<spec>", "spec file")
    .addOption(backendOption())
    .option("--out <dir>", "output folder (default: generated/<model>-<hash>/<backend>, or <backend>-<options> for --time-parallel, --step-graph, --overlap-upload)")
    .addOption(timeParallelOption())
    .addOption(stepLaunchOptions()[0])
    .addOption(stepLaunchOptions()[1])
    .addHelpText("after", "\nExample:\n  snnc compile models/tiny.json --backend cpu")
    .action(async (spec: string, flags: CompileFlags) => {
      assertTimeParallelBackend(flags.timeParallel, flags.backend);
      const plan = stepLaunchFromFlags(flags, flags.backend);
      assertBackendAvailable(flags.backend);
      const { compileSpec } = await import("../../../compiler/pipeline.ts");
      const result = withSpecFile(spec, () => compileSpec(spec, flags.backend, flags.out, undefined, { timeParallel: flags.timeParallel, ...plan }));
      process.stdout.write(compileReport(result.network.name, flags.backend, result.dir, result.files.map((f) => f.path), result.written, true));
    });
}

/** The per-file lines (when `perFile`) and one summary line naming the folder. */
export function compileReport(name: string, backend: string, dir: string, files: string[], written: string[], perFile: boolean): string {
  const isWritten = new Set(written);
  const lines: string[] = [];
  if (perFile) for (const f of files) lines.push(`  ${isWritten.has(f) ? "written  " : "unchanged"}  ${f}`);
  const unchanged = files.length - written.length;
  lines.push(`compiled ${name} for ${backend} into ${displayPath(dir)}/ (${written.length} written, ${unchanged} unchanged)`);
  return lines.join("\n") + "\n";
}
