// The run report: one self-contained HTML file (Chart.js inlined, the data as JSON in the page,
// no network access needed) built only from the run directory's files, so `snnc report <dir>`
// can rebuild it at any time:
//   - loss and accuracy per epoch, train, validation and test (plus the running training loss
//     between epochs), and the learning rate per epoch (the schedule)
//   - activity per hidden layer per epoch: active fraction (the sparse backward's work) and spike rate
//   - a spike raster of one test sample (input and every hidden layer) from raster.json
//   - sparse vs dense timings when bench.json exists
//   - a table of every epoch's numbers (readable without JavaScript)

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../../compiler/util/atomic-write.ts";
import type { Raster } from "../train/raster.ts";
import {
  BENCH_FILE,
  RASTER_FILE,
  readMetrics,
  REPORT_FILE,
  RUN_FILE,
  RunDirError,
  type BatchRecord,
  type EpochRecord,
  type RunInfo,
} from "../train/run-dir.ts";
import { benchRows, type BenchRow } from "./bench-data.ts";
import { describeRecipe } from "../train/recipe.ts";

export interface ReportData {
  run: RunInfo | null;
  epochs: EpochRecord[];
  batches: BatchRecord[];
  raster: Raster | null;
  bench: BenchRow[] | null;
  generated: string;
}

function readJsonFile<T>(path: string): T | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (e) {
    throw new RunDirError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Everything the report shows, from the run directory's files. */
export function readReportData(runDir: string): ReportData {
  if (!existsSync(runDir)) throw new RunDirError(`${runDir}: no such run directory`);
  const metrics = readMetrics(runDir);
  const bench = readJsonFile<unknown>(join(runDir, BENCH_FILE));
  return {
    run: readJsonFile<RunInfo>(join(runDir, RUN_FILE)),
    epochs: metrics.filter((r): r is EpochRecord => r.type === "epoch"),
    batches: metrics.filter((r): r is BatchRecord => r.type === "batch"),
    raster: readJsonFile<Raster>(join(runDir, RASTER_FILE)),
    bench: bench === null ? null : benchRows(bench),
    generated: new Date().toISOString(),
  };
}

let chartJsSource: string | null = null;

/** Chart.js's UMD bundle (it defines window.Chart), without its source-map comment. */
export function chartJs(): string {
  if (chartJsSource === null) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve("chart.js"));
    chartJsSource = readFileSync(join(dist, "chart.umd.min.js"), "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
  }
  return chartJsSource;
}

/** JSON safe to place inside <script>: no "</script", no "<!--". */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : "–");
const fix = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : "–");

function summaryTable(d: ReportData): string {
  const rows: [string, string][] = [];
  const r = d.run;
  const last = d.epochs.at(-1);
  // The epoch selection would keep: the best validation accuracy (the first of equals), as best.safetensors.
  const best = d.epochs.reduce<EpochRecord | null>((b, e) => (e.val && (b === null || e.val.accuracy > b.val!.accuracy) ? e : b), null);
  if (r) {
    rows.push(["model", `${r.model} (${r.spec}, spec hash ${r.specHash.slice(0, 12)})`]);
    rows.push(["backend", r.backend]);
    rows.push(["data", r.data]);
    rows.push(["samples", `${r.trainSamples} train / ${r.valSamples ?? 0} validation / ${r.testSamples} test${r.limit !== null ? ` (--limit ${r.limit})` : ""}`]);
    rows.push(["settings", `batch ${r.batch}, lr ${r.lr}, seed ${r.seed}, ${r.epochs} epochs planned`]);
    if (r.schedule) rows.push(["recipe", describeRecipe(r).join("; ") || "Adam at a constant learning rate"]);
    if (r.resumedFrom) rows.push(["resumed from", r.resumedFrom]);
    if (r.initFrom) rows.push(["initial weights", r.initFrom]);
  }
  rows.push(["epochs done", String(d.epochs.length)]);
  if (last) rows.push(["final test accuracy", `${pct(last.test.accuracy)} (loss ${fix(last.test.loss)})`]);
  if (best) rows.push(["best validation epoch", `${best.epoch}: validation ${pct(best.val!.accuracy)}, test ${pct(best.test.accuracy)} (best.safetensors)`]);
  if (d.epochs.length) rows.push(["training time", `${d.epochs.reduce((s, e) => s + e.seconds, 0).toFixed(1)} s`]);
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>`;
}

function epochTable(d: ReportData): string {
  if (!d.epochs.length) return "<p>No epoch has finished yet.</p>";
  const ids = d.epochs[0].test.layers.map((l) => l.id);
  const hasVal = d.epochs.some((e) => e.val);
  const head = ["epoch", "lr", "train loss", "train acc", ...(hasVal ? ["val loss", "val acc"] : []), "test loss", "test acc", ...ids.flatMap((id) => [`${id} active`, `${id} spikes/step`]), "seconds", "samples/s"];
  const body = d.epochs.map((e) =>
    [
      String(e.epoch),
      Number.isFinite(e.lr) ? e.lr.toPrecision(3) : "–",
      fix(e.train.loss),
      pct(e.train.accuracy),
      ...(hasVal ? [e.val ? fix(e.val.loss) : "–", e.val ? pct(e.val.accuracy) : "–"] : []),
      fix(e.test.loss),
      pct(e.test.accuracy),
      ...e.test.layers.flatMap((l) => [pct(l.activeFraction), fix(l.spikeRate)]),
      e.seconds.toFixed(1),
      Math.round(e.samplesPerSecond).toString(),
    ],
  );
  return `<table class="grid"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${body
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

// The page's own script: draws the charts from the embedded JSON with Chart.js.
const CLIENT = String.raw`
(function () {
  var d = JSON.parse(document.getElementById("snnc-data").textContent);
  if (typeof Chart === "undefined") { document.getElementById("nochart").hidden = false; return; }
  var colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 12;
  // Legend swatches as short lines, drawn with each series' own dash pattern (a dashed box border
  // renders as a zig-zag).
  var legendLines = { usePointStyle: true, pointStyle: "line", pointStyleWidth: 30 };
  function line(id, title, yTitle, datasets, yOpts) {
    var el = document.getElementById(id);
    if (!el) return;
    new Chart(el, {
      type: "line",
      data: { datasets: datasets },
      options: {
        parsing: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: false },
        plugins: { title: { display: true, text: title }, legend: { labels: legendLines } },
        scales: { x: { type: "linear", title: { display: true, text: "epoch" } }, y: Object.assign({ title: { display: true, text: yTitle } }, yOpts || {}) }
      }
    });
  }
  function series(label, points, color, extra) {
    return Object.assign({ label: label, data: points, borderColor: color, backgroundColor: color, pointRadius: 3, borderWidth: 2 }, extra || {});
  }
  var E = d.epochs;
  // The validation curve, where the run held a split out (model selection reads it).
  function valSeries(value) {
    var V = E.filter(function (e) { return e.val; });
    return V.length ? [series("validation", V.map(function (e) { return { x: e.epoch, y: value(e.val) }; }), colors[2])] : [];
  }
  var runningLoss = d.batches.map(function (b) { return { x: b.epoch - 1 + b.batch / b.batches, y: b.loss }; });
  var runningAcc = d.batches.map(function (b) { return { x: b.epoch - 1 + b.batch / b.batches, y: 100 * b.accuracy }; });
  var thin = { pointRadius: 0, borderWidth: 1, borderDash: [3, 3] };
  line("loss", "Loss per epoch (cross-entropy + activity penalties)", "loss", [
    series("train", E.map(function (e) { return { x: e.epoch, y: e.train.loss }; }), colors[0]),
    series("test", E.map(function (e) { return { x: e.epoch, y: e.test.loss }; }), colors[1]),
    series("train (running)", runningLoss, "#9ecae1", thin)
  ].concat(valSeries(function (v) { return v.loss; })));
  line("accuracy", "Accuracy per epoch", "accuracy (%)", [
    series("train", E.map(function (e) { return { x: e.epoch, y: 100 * e.train.accuracy }; }), colors[0]),
    series("test", E.map(function (e) { return { x: e.epoch, y: 100 * e.test.accuracy }; }), colors[1]),
    series("train (running)", runningAcc, "#9ecae1", thin)
  ].concat(valSeries(function (v) { return 100 * v.accuracy; })));
  var ids = E.length ? E[0].test.layers.map(function (l) { return l.id; }) : [];
  // One colour per layer, the same in the activity charts and the raster (the input is grey).
  var layerIds = ids.slice();
  if (d.raster) d.raster.layers.forEach(function (L) { if (L.id !== "input" && layerIds.indexOf(L.id) < 0) layerIds.push(L.id); });
  function layerColor(id) { return id === "input" ? "#555" : colors[layerIds.indexOf(id) % colors.length]; }
  function perLayer(field, scale) {
    var out = [];
    ids.forEach(function (id, k) {
      out.push(series(id + " test", E.map(function (e) { return { x: e.epoch, y: scale * e.test.layers[k][field] }; }), layerColor(id)));
      out.push(series(id + " train", E.map(function (e) { return { x: e.epoch, y: scale * e.train.layers[k][field] }; }), layerColor(id), { borderDash: [6, 4], pointRadius: 2 }));
    });
    return out;
  }
  line("active", "Active neuron-times per hidden layer (|V − V_th| < B_th)", "active (%)", perLayer("activeFraction", 100), { beginAtZero: true });
  line("spikes", "Spike rate per hidden layer", "spikes per neuron per step", perLayer("spikeRate", 1), { beginAtZero: true });
  line("lr", "Learning rate per epoch (the schedule, at each epoch's last step)", "learning rate", [
    series("lr", E.map(function (e) { return { x: e.epoch, y: e.lr }; }), colors[4])
  ]);

  // The raster's y range is padded by half a neuron: label whole neurons only, never −0.5 or 199.5.
  function integerTicks(axis) { axis.ticks = axis.ticks.filter(function (t) { return Math.round(t.value) === t.value; }); }
  var R = d.raster;
  if (R) {
    var box = document.getElementById("raster");
    R.layers.slice().reverse().forEach(function (L, k) {
      var wrap = document.createElement("div");
      wrap.className = "raster";
      // About a pixel per neuron (plus room for the axes and the legend), within 200 … 560 px.
      wrap.style.height = Math.max(200, Math.min(560, 90 + L.size)) + "px";
      var c = document.createElement("canvas");
      wrap.appendChild(c);
      box.appendChild(wrap);
      var pts = L.times.map(function (t, i) { return { x: t, y: L.units[i] }; });
      new Chart(c, {
        type: "scatter",
        data: { datasets: [{ label: L.id + " (" + pts.length + " spikes)", data: pts, pointRadius: L.size > 400 ? 1.2 : 1.8, pointStyle: "rect", borderWidth: 0, backgroundColor: layerColor(L.id) }] },
        options: {
          parsing: false, responsive: true, maintainAspectRatio: false,
          plugins: { legend: { display: true } },
          scales: { x: { type: "linear", min: 0, max: R.steps, title: { display: true, text: "time step" } }, y: { min: -0.5, max: L.size - 0.5, ticks: { precision: 0 }, afterBuildTicks: integerTicks, title: { display: true, text: L.id === "input" ? "input unit" : "neuron" } } }
        }
      });
    });
  }

  var B = d.bench;
  if (B && B.length) {
    new Chart(document.getElementById("bench"), {
      type: "bar",
      data: { labels: B.map(function (r) { return r.label; }), datasets: [
        { label: "sparse (ms)", data: B.map(function (r) { return r.sparseMs; }), backgroundColor: colors[2] },
        { label: "dense (ms)", data: B.map(function (r) { return r.denseMs; }), backgroundColor: colors[1] }
      ] },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, plugins: { title: { display: true, text: "Sparse vs dense backward: milliseconds (median)" } }, scales: { x: { beginAtZero: true, title: { display: true, text: "ms" } } } }
    });
  }
})();
`;

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 4px; } h2 { font-size: 1.15em; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.9em; }
table.kv th { text-align: left; padding: 2px 16px 2px 0; color: #555; font-weight: 600; vertical-align: top; }
table.grid th, table.grid td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
table.grid th { background: #f4f4f4; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.chart { position: relative; height: 300px; }
.raster { position: relative; margin-bottom: 8px; }
.bench { position: relative; }
@media (max-width: 800px) { .charts { grid-template-columns: 1fr; } }
`;

export function renderReport(d: ReportData): string {
  const title = d.run ? `snnc run: ${d.run.model}` : "snnc run";
  const raster = d.raster
    ? `<p>Test sample ${d.raster.sample}: label ${d.raster.label}, predicted ${d.raster.predicted} (model after epoch ${d.raster.epoch}); bottom to top in the network: the input, then each hidden layer.</p><div id="raster"></div>`
    : "<p>No raster recorded yet (raster.json is written after each epoch).</p>";
  const benchHeight = d.bench ? Math.max(160, 60 + 34 * d.bench.length) : 0;
  const bench =
    d.bench && d.bench.length
      ? `<h2>Sparse vs dense timing</h2><div class="bench" style="height:${benchHeight}px"><canvas id="bench"></canvas></div>`
      : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="sub">Report generated ${esc(d.generated)} by snnc from the run directory's files (rebuild with <code>snnc report &lt;run-dir&gt;</code>).</p>
<p id="nochart" hidden>The charts need JavaScript; the tables below hold the same numbers.</p>
${summaryTable(d)}
<h2>Training</h2>
<div class="charts">
<div class="chart"><canvas id="loss"></canvas></div>
<div class="chart"><canvas id="accuracy"></canvas></div>
<div class="chart"><canvas id="active"></canvas></div>
<div class="chart"><canvas id="spikes"></canvas></div>
<div class="chart"><canvas id="lr"></canvas></div>
</div>
<h2>Spike raster of one test sample</h2>
${raster}
${bench}
<h2>Per epoch</h2>
${epochTable(d)}
<script id="snnc-data" type="application/json">${scriptJson(d)}</script>
<script>${chartJs().replace(/<\/script/gi, "<\\/script")}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}

/** Embedded report data of a report.html (for tests and tools). */
export function reportDataOf(html: string): ReportData {
  const m = /<script id="snnc-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error("no snnc-data block in this report");
  return JSON.parse(m[1]) as ReportData;
}

/** Writes (atomically) and returns <runDir>/report.html. */
export function writeReport(runDir: string): string {
  const path = join(runDir, REPORT_FILE);
  writeFileAtomic(path, renderReport(readReportData(runDir)));
  return path;
}
