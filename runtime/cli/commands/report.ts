// `snnc report <run-dir>`: rebuild the run's self-contained report.html from its files.

import type { Command } from "commander";
import { displayPath } from "../options.ts";

export function register(program: Command): void {
  program
    .command("report")
    .description("rebuild a run directory's report.html (loss, accuracy, activity, spike raster, timings) from its files")
    .argument("<run-dir>", "run directory written by snnc train")
    .addHelpText("after", "\nExample:\n  snnc report runs/fmnist-20260101-120000")
    .action(async (runDir: string) => {
      const { writeReport } = await import("../../report/report.ts");
      process.stdout.write(`wrote ${displayPath(writeReport(runDir))}\n`);
    });
}
