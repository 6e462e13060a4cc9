// Draws the step-time chart of docs/performance.md from a bench's JSON, with the bench's own bar
// chart (runtime/bench/plot.ts), so the picture shows the committed measurement and nothing else:
//
//   npx tsx scripts/docs/draw-bench.ts docs/bench/paper-cpu.json docs/img/paper-cpu-step.svg

import { readFileSync, writeFileSync } from "node:fs";
import { barChart } from "../../runtime/bench/plot.ts";
import type { ConfigResult, Machine } from "../../runtime/bench/run-bench.ts";

const [input, out] = process.argv.slice(2);
if (!input || !out) {
  process.stderr.write("usage: npx tsx scripts/docs/draw-bench.ts <bench.json> <out.svg>\n");
  process.exit(2);
}

const bench = JSON.parse(readFileSync(input, "utf8")) as { date: string; machine: Machine; backend: string; batch: number; configs: ConfigResult[] };
const peer = (c: ConfigResult) => (c.peer && !("skipped" in c.peer) ? c.peer.stepMs : NaN);
const title = `One training step, batch ${bench.batch}, ${bench.backend.toUpperCase()} (${bench.machine.cores} cores), ${bench.date.slice(0, 10)}`;
const svg = barChart(
  title,
  "ms per step",
  bench.configs.map((c) => `${c.model} (T = ${c.steps})`),
  [
    { label: "snnc, sparse backward", color: "#d62728", values: bench.configs.map((c) => c.phases.sparse.stepMs) },
    { label: "snnc, dense backward", color: "#1f77b4", values: bench.configs.map((c) => c.phases.dense.stepMs) },
    { label: "PyTorch BPTT", color: "#2ca02c", values: bench.configs.map(peer) },
  ],
  { log: true, w: 560, h: 300 },
);
writeFileSync(out, svg + "\n");
process.stdout.write(`wrote ${out}\n`);
