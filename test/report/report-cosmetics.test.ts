// The report's charts (issue 13, item 9): legend swatches drawn as lines with the series' dash
// (a dashed box rendered as a zig-zag), raster y ticks on whole neurons only (not −0.5, 199.5),
// one colour per layer in the activity charts and the raster alike, and rasters tall enough to
// tell 200 neurons apart. The page's script runs against a stub Chart that records its configs.

import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { renderReport, type ReportData } from "../../runtime/report/report.ts";
import type { EpochRecord } from "../../runtime/train/run-dir.ts";

type Config = {
  type: string;
  data: { datasets: { label: string; borderColor?: string; backgroundColor?: string }[] };
  options: {
    plugins: { legend?: { labels?: { usePointStyle?: boolean; pointStyle?: string } } };
    scales: { y: { ticks?: { precision?: number }; afterBuildTicks?: (axis: { ticks: { value: number }[] }) => void } };
  };
};

function draw(d: ReportData): { charts: Config[]; heights: number[] } {
  const html = renderReport(d);
  const script = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]).at(-1)!;
  const data = /<script id="snnc-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1];
  const charts: Config[] = [];
  const created: { className: string; style: { height?: string } }[] = [];
  const element = () => {
    const e = { style: {} as { height?: string }, className: "", hidden: true, appendChild() {}, textContent: data };
    created.push(e);
    return e;
  };
  class Chart {
    static defaults = { animation: true, font: { size: 10 } };
    constructor(_el: unknown, config: Config) {
      charts.push(config);
    }
  }
  const document = { getElementById: (id: string) => (id === "snnc-data" ? { textContent: data } : element()), createElement: element };
  runInNewContext(script, { Chart, document, JSON, Math, Object });
  const heights = created.filter((e) => e.className === "raster").map((e) => parseFloat(e.style.height ?? "0"));
  return { charts, heights };
}

const layer = (id: string) => ({ id, activeFraction: 0.1, spikeRate: 0.02, spikes: 0, active: 0 });
const split = { loss: 1, accuracy: 0.5, samples: 10, seconds: 1, layers: [layer("l1"), layer("l2")] };
const epoch = (k: number) => ({ type: "epoch", epoch: k, epochs: 2, train: split, test: split, seconds: 1, trainSeconds: 1, evalSeconds: 0, samplesPerSecond: 10, lr: 0.001, adamSteps: k, time: "" }) as unknown as EpochRecord;
const DATA: ReportData = {
  run: null,
  epochs: [epoch(1), epoch(2)],
  batches: [],
  raster: {
    sample: 0,
    label: 1,
    predicted: 1,
    steps: 100,
    epoch: 2,
    layers: [
      { id: "input", size: 784, times: [1], units: [3] },
      { id: "l1", size: 200, times: [2], units: [5] },
      { id: "l2", size: 200, times: [3], units: [7] },
    ],
  },
  bench: null,
  generated: "",
};

describe("report charts", () => {
  const { charts, heights } = draw(DATA);
  const lines = charts.filter((c) => c.type === "line");
  const rasters = charts.filter((c) => c.type === "scatter");

  it("draw legend swatches as lines (so a dashed series shows a dashed line)", () => {
    expect(lines).toHaveLength(5);
    for (const c of lines) expect(c.options.plugins.legend?.labels).toMatchObject({ usePointStyle: true, pointStyle: "line" });
  });

  it("label the raster's y axis with whole neurons only", () => {
    expect(rasters).toHaveLength(3);
    for (const c of rasters) {
      expect(c.options.scales.y.ticks?.precision).toBe(0);
      const axis = { ticks: [-0.5, 0, 50, 100, 150, 199.5].map((value) => ({ value })) };
      c.options.scales.y.afterBuildTicks!(axis);
      expect(axis.ticks.map((t) => t.value)).toEqual([0, 50, 100, 150]);
    }
  });

  it("give a layer the same colour in the activity charts and in the raster", () => {
    const activity = lines[2].data.datasets;
    const rasterColor = (id: string) => rasters.find((c) => c.data.datasets[0].label.startsWith(`${id} `))!.data.datasets[0].backgroundColor;
    for (const id of ["l1", "l2"]) expect(activity.find((s) => s.label === `${id} test`)!.borderColor).toBe(rasterColor(id));
    expect(rasterColor("l1")).not.toBe(rasterColor("l2"));
  });

  it("give a 200-neuron raster about a pixel per neuron", () => {
    expect(heights).toHaveLength(3);
    for (const h of heights) expect(h).toBeGreaterThanOrEqual(280);
  });
});
