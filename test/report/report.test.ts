// The HTML report: written by training, rebuilt by `snnc report` from the run directory alone,
// self-contained (Chart.js inlined, nothing fetched), holding the plots' data (epochs, losses,
// accuracies, activity), the raster of a test sample, and bench.json's timings when present. The
// page's own script is run against a stub Chart to check it builds every chart without errors.

import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchRows } from "../../runtime/report/bench-data.ts";
import { reportDataOf, writeReport } from "../../runtime/report/report.ts";
import type { Raster } from "../../runtime/train/raster.ts";
import { readMetrics, type EpochRecord } from "../../runtime/train/run-dir.ts";
import { openCpu, tempDir, TINY, trainQuiet } from "../train/support.ts";

const tmp = tempDir("report");
let run: string;
beforeAll(async () => {
  await openCpu(TINY);
  run = join(tmp.path, "run");
  await trainQuiet({ out: run, epochs: 2, limit: 200, recipe: { validation: 0.1, schedule: "cosine" } });
});
afterAll(() => tmp.remove());

/** Runs the page's last <script> with a stub Chart; returns the configs it was given. */
function drawCharts(html: string): { type: string; data: { datasets: { label: string; data: unknown[] }[] } }[] {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const data = /<script id="snnc-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1];
  const charts: { type: string; data: { datasets: { label: string; data: unknown[] }[] } }[] = [];
  const element = () => ({ style: {}, className: "", hidden: true, appendChild() {}, textContent: data });
  class Chart {
    static defaults = { animation: true, font: { size: 10 } };
    constructor(_el: unknown, config: (typeof charts)[number]) {
      charts.push(config);
    }
  }
  const document = { getElementById: (id: string) => (id === "snnc-data" ? { textContent: data } : element()), createElement: element };
  runInNewContext(scripts.at(-1)!, { Chart, document, JSON, Math, Object });
  return charts;
}

describe("report.html", () => {
  it("is written by training and holds the plots' data and the raster", () => {
    const html = readFileSync(join(run, "report.html"), "utf8");
    const d = reportDataOf(html);
    const metrics = readMetrics(run).filter((r): r is EpochRecord => r.type === "epoch");
    expect(d.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(d.epochs.map((e) => [e.train.loss, e.test.loss, e.train.accuracy, e.test.accuracy])).toEqual(
      metrics.map((e) => [e.train.loss, e.test.loss, e.train.accuracy, e.test.accuracy]),
    );
    expect(d.epochs[1].test.layers.map((l) => l.id)).toEqual(["l1", "l2"]);
    expect(d.batches.length).toBeGreaterThan(0);
    expect(d.run).toMatchObject({ model: "tiny", backend: "cpu", limit: 200 });
    // The raster: one test sample, its input spikes and both hidden layers, from after epoch 2.
    const raster = d.raster as Raster;
    expect(raster).toEqual(JSON.parse(readFileSync(join(run, "raster.json"), "utf8")));
    expect(raster.epoch).toBe(2);
    expect(raster.steps).toBe(16);
    expect(raster.layers.map((l) => [l.id, l.size])).toEqual([["input", 12], ["l1", 8], ["l2", 6]]);
    expect(raster.layers[0].times.length).toBeGreaterThan(0);
    for (const l of raster.layers) {
      expect(l.times).toHaveLength(l.units.length);
      expect(l.times.every((t) => t >= 0 && t < 16)).toBe(true);
      expect(l.units.every((u) => u >= 0 && u < l.size)).toBe(true);
    }
    expect(d.bench).toBeNull();
    // The per-epoch table is there without JavaScript too.
    expect(html).toContain(`<td>${(100 * d.epochs[1].test.accuracy).toFixed(2)}%</td>`);
  });

  it("is self-contained: Chart.js inlined, nothing loaded from elsewhere", () => {
    const html = readFileSync(join(run, "report.html"), "utf8");
    expect(html).not.toMatch(/<script[^>]*\ssrc=/);
    expect(html).not.toMatch(/<link[^>]*href=/);
    expect(html).not.toContain("sourceMappingURL");
    expect(html).toMatch(/Chart\.js v4\.6\.1/);
  });

  it("draws every chart with the embedded data", () => {
    const charts = drawCharts(readFileSync(join(run, "report.html"), "utf8"));
    // loss, accuracy, active fraction, spike rate, learning rate, then the raster of input, l1 and l2.
    expect(charts.map((c) => c.type)).toEqual(["line", "line", "line", "line", "line", "scatter", "scatter", "scatter"]);
    expect(charts[0].data.datasets.map((s) => s.label)).toEqual(["train", "test", "train (running)", "validation"]);
    expect(charts[1].data.datasets.map((s) => s.label)).toEqual(["train", "test", "train (running)", "validation"]);
    expect(charts[0].data.datasets[1].data).toHaveLength(2);
    expect(charts[2].data.datasets.map((s) => s.label)).toEqual(["l1 test", "l1 train", "l2 test", "l2 train"]);
    // The schedule: the cosine's rate at the end of each epoch, falling.
    const metrics = readMetrics(run).filter((r): r is EpochRecord => r.type === "epoch");
    expect(charts[4].data.datasets[0].data).toEqual(metrics.map((e) => ({ x: e.epoch, y: e.lr })));
    expect(metrics[1].lr).toBeLessThan(metrics[0].lr);
    const valAcc = charts[1].data.datasets[3].data as { x: number; y: number }[];
    expect(valAcc).toEqual(metrics.map((e) => ({ x: e.epoch, y: 100 * e.val!.accuracy })));
  });

  it("is rebuilt by `snnc report` from the run directory, with the timings `snnc bench --out` wrote", async () => {
    rmSync(join(run, "report.html"));
    const { main } = await import("../../runtime/cli/main.ts");
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    let benchCode: number;
    let code: number;
    try {
      benchCode = await main(["node", "snnc", "bench", TINY, "--backend", "cpu", "--batch", "4", "--reps", "2", "--warmup", "1", "--no-peer", "--out", join(run, "bench.json")]);
      out.length = 0;
      code = await main(["node", "snnc", "report", run]);
    } finally {
      process.stdout.write = write;
    }
    expect(benchCode).toBe(0);
    expect(code).toBe(0);
    expect(out.join("")).toBe(`wrote ${join(run, "report.html")}\n`);
    expect(existsSync(join(run, "report.html"))).toBe(true);
    const html = readFileSync(join(run, "report.html"), "utf8");
    const bench = JSON.parse(readFileSync(join(run, "bench.json"), "utf8"));
    const [c] = bench.configs;
    const kernel = (t: { kernels: [string, number][] }, name: string) => t.kernels.find(([n]) => n === name)![1];
    expect(reportDataOf(html).bench).toEqual([
      { label: "cpu tiny training step", sparseMs: c.sparse.stepMs.median, denseMs: c.dense.stepMs.median },
      ...["l3", "l2", "l1"].map((l) => ({ label: `cpu tiny backward_*_${l}`, sparseMs: kernel(c.sparse, `backward_sparse_${l}`), denseMs: kernel(c.dense, `backward_dense_${l}`) })),
    ]);
    const charts = drawCharts(html);
    expect(charts.at(-1)!.type).toBe("bar");
    rmSync(join(run, "bench.json"));
  });

  it("refuses a folder that is not a run directory", () => {
    expect(() => writeReport(tmp.path)).toThrow(`${tmp.path}: not a run directory (no metrics.jsonl); pass the folder snnc train wrote`);
  });
});

describe("bench.json shapes", () => {
  it("accepts rows with sparse and dense milliseconds", () => {
    expect(benchRows({ rows: [{ name: "fmnist step", sparse_ms: 2, dense_ms: 9 }, { label: "x" }] })).toEqual([{ label: "fmnist step", sparseMs: 2, denseMs: 9 }]);
    expect(benchRows([{ label: "a", sparseMs: 1, denseMs: null }])).toEqual([{ label: "a", sparseMs: 1, denseMs: null }]);
    expect(benchRows("nonsense")).toEqual([]);
  });

  it("accepts the older bench --out shape {…, timings: {sparse, dense}}", () => {
    const timing = (backward: string, stepMs: number) => ({ backward, backend: "cpu", stepMs: { median: stepMs }, kernels: [["backward_" + backward + "_l1", stepMs / 2]] });
    expect(benchRows({ model: "m", timings: { sparse: timing("sparse", 2), dense: timing("dense", 8) } })).toEqual([
      { label: "cpu training step", sparseMs: 2, denseMs: 8 },
      { label: "cpu backward_*_l1", sparseMs: 1, denseMs: 4 },
    ]);
  });
});
