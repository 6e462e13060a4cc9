// The bench as one self-contained HTML page of inline SVG charts (no script, no CDN), in the style
// of the supplement's Figures 11–21: per data set, time and memory against the hidden-layer size,
// sparse against dense (and the PyTorch peer where it ran), then speed-ups and memory saved.

import type { ConfigResult, Machine } from "./run-bench.ts";

interface Series {
  label: string;
  color: string;
  dash?: string;
  points: [number, number][];
}

const COLORS = { sparse: "#d62728", dense: "#1f77b4", torch: "#2ca02c", step: "#9467bd", fwdbwd: "#ff7f0e" };

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? Number(v.toFixed(2)).toString() : Number(v.toPrecision(2)).toString());

/** One line chart as an SVG string: x = hidden neurons; y linear from 0, or log10 when `log` and
 *  the values span more than a factor of 20 (sparse and dense times often differ by 10–100×). */
export function lineChart(title: string, yLabel: string, series: Series[], opts: { log?: boolean; w?: number; h?: number } = {}): string {
  const w = opts.w ?? 330;
  const h = opts.h ?? 250;
  const pts = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const xs = pts.map(([x]) => x);
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x0 === x1) {
    x0 -= 100;
    x1 += 100;
  }
  const ys = pts.map(([, y]) => y);
  const positive = ys.filter((y) => y > 0);
  const log = !!opts.log && positive.length > 0 && Math.max(...positive) / Math.min(...positive) > 20;
  let f = (y: number) => y;
  let ticks: number[];
  let y0: number;
  let y1: number;
  if (log) {
    f = (y: number) => Math.log10(Math.max(y, 1e-12));
    ({ y0, y1, ticks } = logAxis(positive));
  } else {
    y0 = Math.min(0, ...ys);
    const yMax = Math.max(...ys);
    ticks = niceTicks(y0, yMax > y0 ? yMax : y0 + 1);
    y1 = Math.max(ticks.at(-1)!, yMax);
  }
  const L = 52, R = 18, T = 30 + 14 * Math.ceil(series.length / 2), B = 40;
  const px = (x: number) => L + ((x - x0) / (x1 - x0)) * (w - L - R);
  const py = (y: number) => h - B - ((f(y) - y0) / (y1 - y0 || 1)) * (h - T - B);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`);
  parts.push(`<text x="${w / 2}" y="15" text-anchor="middle" font-size="12" font-weight="bold">${esc(title)}</text>`);
  for (const t of ticks) {
    const y = log ? h - B - ((t - y0) / (y1 - y0)) * (h - T - B) : py(t);
    parts.push(`<line x1="${L}" x2="${w - R}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${L - 4}" y="${y + 4}" text-anchor="end">${log ? fmt(10 ** t) : fmt(t)}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) parts.push(`<text x="${px(x)}" y="${h - B + 14}" text-anchor="middle">${x}</text>`);
  parts.push(`<line x1="${L}" x2="${w - R}" y1="${h - B}" y2="${h - B}" stroke="#333"/><line x1="${L}" x2="${L}" y1="${T}" y2="${h - B}" stroke="#333"/>`);
  parts.push(`<text x="${(L + w - R) / 2}" y="${h - 8}" text-anchor="middle">hidden neurons per layer</text>`);
  parts.push(`<text transform="translate(12 ${(T + h - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}${log ? " (log scale)" : ""}</text>`);
  series.forEach((s, k) => {
    const ok = s.points.filter(([, y]) => Number.isFinite(y) && (!log || y > 0)).sort((a, b) => a[0] - b[0]);
    if (ok.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} points="${ok.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ")}"/>`);
    for (const [x, y] of ok) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(`${s.label}: ${fmt(y)} at ${x}`)}</title></circle>`);
    // Legend above the plot area, two entries a row, never over the data.
    const lx = L + (k % 2) * ((w - L - R) / 2);
    const ly = 28 + 14 * Math.floor(k / 2);
    parts.push(`<line x1="${lx}" x2="${lx + 16}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/><text x="${lx + 20}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

/** Grouped bars, one group per model (for runs without a sweep): log10 y when `log` and the
 *  values span more than a factor of 20. */
export function barChart(title: string, yLabel: string, groups: string[], series: { label: string; color: string; values: number[] }[], opts: { log?: boolean; w?: number; h?: number } = {}): string {
  const w = opts.w ?? 330;
  const h = opts.h ?? 250;
  const ys = series.flatMap((s) => s.values).filter((y) => Number.isFinite(y));
  const positive = ys.filter((y) => y > 0);
  const log = !!opts.log && positive.length > 0 && Math.max(...positive) / Math.min(...positive) > 20;
  let ticks: number[];
  let y0: number;
  let y1: number;
  let f = (y: number) => y;
  if (log) {
    f = (y: number) => Math.log10(Math.max(y, 1e-12));
    ({ y0, y1, ticks } = logAxis(positive));
  } else {
    y0 = 0;
    const yMax = 1.1 * Math.max(0, ...ys); // room for the value labels above the bars
    ticks = niceTicks(0, yMax > 0 ? yMax : 1);
    y1 = Math.max(ticks.at(-1)!, yMax);
  }
  const L = 52, R = 10, T = 30 + 14 * Math.ceil(series.length / 2), B = 30;
  const py = (v: number) => h - B - ((v - y0) / (y1 - y0 || 1)) * (h - T - B);
  const gw = (w - L - R) / groups.length;
  const bw = (gw * 0.8) / series.length;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`);
  parts.push(`<text x="${w / 2}" y="15" text-anchor="middle" font-size="12" font-weight="bold">${esc(title)}</text>`);
  for (const t of ticks) {
    parts.push(`<line x1="${L}" x2="${w - R}" y1="${py(t)}" y2="${py(t)}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${L - 4}" y="${py(t) + 4}" text-anchor="end">${log ? fmt(10 ** t) : fmt(t)}</text>`);
  }
  groups.forEach((g, gi) => parts.push(`<text x="${L + gw * (gi + 0.5)}" y="${h - B + 14}" text-anchor="middle">${esc(g)}</text>`));
  series.forEach((s, k) => {
    s.values.forEach((v, gi) => {
      if (!Number.isFinite(v) || (log && v <= 0)) return;
      const x = L + gw * gi + gw * 0.1 + bw * k;
      const top = py(f(v));
      const base = py(log ? y0 : 0);
      parts.push(`<rect x="${x.toFixed(1)}" y="${Math.min(top, base).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${Math.abs(base - top).toFixed(1)}" fill="${s.color}"><title>${esc(`${groups[gi]} ${s.label}: ${fmt(v)}`)}</title></rect>`);
      parts.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${(Math.min(top, base) - 3).toFixed(1)}" text-anchor="middle" font-size="9">${fmt(v)}</text>`);
    });
    const lx = L + (k % 2) * ((w - L - R) / 2);
    const ly = 28 + 14 * Math.floor(k / 2);
    parts.push(`<rect x="${lx}" y="${ly - 5}" width="12" height="10" fill="${s.color}"/><text x="${lx + 16}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  parts.push(`<line x1="${L}" x2="${w - R}" y1="${h - B}" y2="${h - B}" stroke="#333"/><line x1="${L}" x2="${L}" y1="${T}" y2="${h - B}" stroke="#333"/>`);
  parts.push(`<text transform="translate(12 ${(T + h - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}${log ? " (log scale)" : ""}</text>`);
  parts.push("</svg>");
  return parts.join("");
}

/** Configurations grouped by their base model (`nmnist-h400` → `nmnist`), in first-seen order. */
export function byModel(configs: ConfigResult[]): Map<string, ConfigResult[]> {
  const groups = new Map<string, ConfigResult[]>();
  for (const c of configs) {
    const base = c.model.replace(/-h\d+$/, "");
    if (!groups.has(base)) groups.set(base, []);
    groups.get(base)!.push(c);
  }
  return groups;
}

const hiddenOf = (c: ConfigResult) => c.hidden[0] ?? 0;
const peerMs = (c: ConfigResult, key: "forwardMs" | "backwardMs" | "stepMs") => (c.peer && !("skipped" in c.peer) ? c.peer[key] : NaN);

export function benchPlotHtml(result: { machine: Machine; backend: string; batch: number; date: string; configs: ConfigResult[] }): string {
  const rows: string[] = [];
  const groups = byModel(result.configs);
  // Without a sweep (one size per model) lines would be single dots: grouped bars across the models instead.
  if ([...groups.values()].every((cs) => cs.length === 1)) rows.push(barsAcrossModels(result.configs));
  else for (const [model, cs] of groups) {
    const line = (label: string, color: string, f: (c: ConfigResult) => number, dash?: string): Series => ({ label, color, dash, points: cs.map((c) => [hiddenOf(c), f(c)]) });
    const hasPeer = cs.some((c) => Number.isFinite(peerMs(c, "stepMs")));
    const withPeer = (s: Series[], key: "forwardMs" | "backwardMs" | "stepMs") => (hasPeer ? [...s, line("PyTorch BPTT", COLORS.torch, (c) => peerMs(c, key), "5 3")] : s);
    const act = cs.map((c) => `${hiddenOf(c)}: ${(100 * c.activity.activeFraction).toFixed(2)}% active, ${c.activity.spikeRate.toFixed(4)} spikes/neuron/step${c.activity.representative ? "" : " (not representative)"}`).join("; ");
    rows.push(
      `<h2>${esc(model)} <small>T = ${cs[0].steps}, batch ${cs[0].batch}</small></h2><p class="act">${esc(act)}</p><div class="row">` +
        lineChart("Forward time", "ms", withPeer([line("sparse", COLORS.sparse, (c) => c.phases.sparse.forwardMs), line("dense", COLORS.dense, (c) => c.phases.dense.forwardMs)], "forwardMs"), { log: true }) +
        lineChart("Backward time", "ms", withPeer([line("sparse", COLORS.sparse, (c) => c.phases.sparse.backwardMs), line("dense", COLORS.dense, (c) => c.phases.dense.backwardMs)], "backwardMs"), { log: true }) +
        lineChart("Training step", "ms", withPeer([line("sparse", COLORS.sparse, (c) => c.phases.sparse.stepMs), line("dense", COLORS.dense, (c) => c.phases.dense.stepMs)], "stepMs"), { log: true }) +
        lineChart("Backward memory (plan)", "MiB", [line("sparse", COLORS.sparse, (c) => c.memory.plan.sparse.backwardOnly / 2 ** 20), line("dense", COLORS.dense, (c) => c.memory.plan.dense.backwardOnly / 2 ** 20)], { log: true }) +
        lineChart("Speed-up (dense / sparse)", "×", [
          line("backward", COLORS.sparse, (c) => c.speedup.backward),
          line("forward + backward", COLORS.fwdbwd, (c) => c.speedup.forwardBackward),
          line("step", COLORS.step, (c) => c.speedup.step),
        ]) +
        lineChart("Memory saved", "%", [line("backward (plan)", COLORS.sparse, (c) => c.memory.backwardSavedPct), line("whole step (plan)", COLORS.step, (c) => c.memory.totalSavedPct)]) +
        `</div>`,
    );
  }
  const m = result.machine;
  const machine = `${m.cpu}, ${m.cores} cores${m.gpu?.length ? `; GPU ${m.gpu.map((g) => `${g.name} (driver ${g.driver})`).join(", ")}` : ""}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>snnc bench</title>
<style>body{font-family:sans-serif;margin:16px;color:#222}h1{font-size:18px}h2{font-size:15px;margin:18px 0 2px}small{font-weight:normal;color:#666}
.row{display:flex;flex-wrap:wrap;gap:8px}.act{font-size:12px;color:#555;margin:2px 0 6px}svg{background:#fff;border:1px solid #ddd}</style></head>
<body><h1>snnc bench: sparse vs dense training step, ${esc(result.backend)} backend</h1>
<p>${esc(machine)}. Batch ${result.batch}, ${esc(result.date)}. Times are medians of per-kernel timers (forward, backward) and of the
wall time of one whole step (forward, loss, backward, Adam). Memory saved = 100·(1 − sparse/dense).</p>
${rows.join("\n")}
</body></html>
`;
}

function barsAcrossModels(cs: ConfigResult[]): string {
  const names = cs.map((c) => c.model);
  const hasPeer = cs.some((c) => Number.isFinite(peerMs(c, "stepMs")));
  const timeSeries = (key: "forwardMs" | "backwardMs" | "stepMs") => [
    { label: "sparse", color: COLORS.sparse, values: cs.map((c) => c.phases.sparse[key]) },
    { label: "dense", color: COLORS.dense, values: cs.map((c) => c.phases.dense[key]) },
    ...(hasPeer ? [{ label: "PyTorch BPTT", color: COLORS.torch, values: cs.map((c) => peerMs(c, key)) }] : []),
  ];
  const act = cs.map((c) => `${c.model} (hidden ${c.hidden.join("-")}, T = ${c.steps}): ${(100 * c.activity.activeFraction).toFixed(2)}% active, ${c.activity.spikeRate.toFixed(4)} spikes/neuron/step${c.activity.representative ? "" : " (not representative)"}`).join("; ");
  return (
    `<p class="act">${esc(act)}</p><div class="row">` +
    barChart("Forward time", "ms", names, timeSeries("forwardMs"), { log: true }) +
    barChart("Backward time", "ms", names, timeSeries("backwardMs"), { log: true }) +
    barChart("Training step", "ms", names, timeSeries("stepMs"), { log: true }) +
    barChart("Backward memory (plan)", "MiB", names, [
      { label: "sparse", color: COLORS.sparse, values: cs.map((c) => c.memory.plan.sparse.backwardOnly / 2 ** 20) },
      { label: "dense", color: COLORS.dense, values: cs.map((c) => c.memory.plan.dense.backwardOnly / 2 ** 20) },
    ], { log: true }) +
    barChart("Speed-up (dense / sparse)", "×", names, [
      { label: "backward", color: COLORS.sparse, values: cs.map((c) => c.speedup.backward) },
      { label: "forward + backward", color: COLORS.fwdbwd, values: cs.map((c) => c.speedup.forwardBackward) },
      { label: "step", color: COLORS.step, values: cs.map((c) => c.speedup.step) },
    ]) +
    barChart("Memory saved", "%", names, [
      { label: "backward (plan)", color: COLORS.sparse, values: cs.map((c) => c.memory.backwardSavedPct) },
      { label: "whole step (plan)", color: COLORS.step, values: cs.map((c) => c.memory.totalSavedPct) },
    ]) +
    `</div>`
  );
}

/** A log10 axis over positive values: whole decades from below the smallest to above the largest. */
function logAxis(positive: number[]): { y0: number; y1: number; ticks: number[] } {
  const y0 = Math.floor(Math.log10(Math.min(...positive)));
  let y1 = Math.ceil(Math.log10(Math.max(...positive)));
  if (y1 === y0) y1++;
  const ticks: number[] = [];
  for (let e = y0; e <= y1; e++) ticks.push(e);
  return { y0, y1, ticks };
}
