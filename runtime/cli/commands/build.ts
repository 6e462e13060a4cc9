// `snnc build <spec>`: compile, then build the addon with cmake-js. An unchanged spec and
// unchanged flags reuse the last build (hash in the manifest and the build stamp). Compiler
// errors reach the user as BuildError's message, with file:line (exit 1).

import type { Command } from "commander";
import type { BackendName } from "../../../compiler/backends/index.ts";
import { assertBackendAvailable, assertTimeParallelBackend, backendOption, displayPath, timeParallelOption, withSpecFile } from "../options.ts";
import { compileReport } from "./compile.ts";
import { stepLaunchFromFlags, stepLaunchOptions, type StepLaunchFlags } from "../step-launch-flags.ts";

export interface BuildFlags extends StepLaunchFlags {
  backend: BackendName;
  out?: string;
  cudaArch: string;
  cpuFlags?: string;
  force?: boolean;
  verbose?: boolean;
  timeParallel?: boolean;
}

export function register(program: Command): void {
  program
    .command("build")
    .description("compile a spec and build its kernels into a Node addon (snnc_<model>.node) with cmake-js")
    .argument("<spec>", "spec file")
    .addOption(backendOption())
    .option("--out <dir>", "output folder (default: generated/<model>-<hash>/<backend>, or <backend>-time-parallel)")
    .addOption(timeParallelOption())
    .option("--cuda-arch <arch>", "CUDA only: CMAKE_CUDA_ARCHITECTURES", "90")
    .option("--cpu-flags <flags>", 'CPU only: compiler flags for the kernels (default: -march=x86-64-v4 on a CPU with AVX-512, else -march=x86-64-v3); "-march=native" tunes for this CPU')
    .addOption(stepLaunchOptions()[0])
    .addOption(stepLaunchOptions()[1])
    .option("--force", "rebuild even when the sources and flags are unchanged")
    .option("--verbose", "print cmake's and the compiler's output")
    .addHelpText("after", "\nExamples:\n  snnc build models/tiny.json\n  snnc build models/fmnist.json --backend cuda --cuda-arch 90")
    .action(async (spec: string, flags: BuildFlags) => {
      assertTimeParallelBackend(flags.timeParallel, flags.backend);
      const plan = stepLaunchFromFlags(flags, flags.backend);
      assertBackendAvailable(flags.backend);
      const { compileSpec } = await import("../../../compiler/pipeline.ts");
      const { buildAddon } = await import("../../../compiler/build/build-addon.ts");
      const compiled = withSpecFile(spec, () => compileSpec(spec, flags.backend, flags.out, undefined, { timeParallel: flags.timeParallel, ...plan }));
      const files = compiled.files.map((f) => f.path);
      process.stdout.write(compileReport(compiled.network.name, flags.backend, compiled.dir, files, compiled.written, false));
      const result = await buildAddon(compiled.dir, {
        cudaArch: flags.cudaArch,
        cpuFlags: flags.cpuFlags,
        force: flags.force,
        onLine: flags.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
        onWait: () => process.stdout.write(`waiting for another build of ${displayPath(compiled.dir)}/ to finish…\n`),
      });
      const path = displayPath(result.addonPath);
      process.stdout.write(result.built ? `built ${path} in ${result.seconds.toFixed(1)} s\n` : `up to date: ${path}\n`);
    });
}
