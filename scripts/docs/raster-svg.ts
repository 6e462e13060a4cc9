// A run's spike raster (raster.json, runtime/train/raster.ts) as one static SVG, for pages that
// cannot run the report's Chart.js (the README on GitHub). Same reading as the report: the input at
// the bottom, each hidden layer above it, one mark per spike, the report's colour per layer. A
// square input (an image) is also drawn as the picture its spike times encode: earlier is brighter.

import type { Raster, RasterLayer } from "../../runtime/train/raster.ts";

const LAYER_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const INPUT_COLOR = "#555";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const n = (v: number) => Number(v.toFixed(1)).toString();

/** The input as an image, when it is one (a square number of units): a pixel's shade is its spike time. */
function inputImage(layer: RasterLayer, x0: number, y0: number, side: number, parts: string[]): boolean {
  const width = Math.round(Math.sqrt(layer.size));
  if (width * width !== layer.size || layer.times.length === 0) return false;
  const px = side / width;
  const first = Math.min(...layer.times);
  const last = Math.max(...layer.times);
  parts.push(`<rect x="${x0}" y="${y0}" width="${side}" height="${side}" fill="#000"/>`);
  layer.units.forEach((u, k) => {
    // Latency code: the brightest pixels spike first. Map first … last spike to white … dark grey.
    const level = Math.round(255 - (200 * (layer.times[k] - first)) / Math.max(1, last - first));
    parts.push(`<rect x="${n(x0 + (u % width) * px)}" y="${n(y0 + Math.floor(u / width) * px)}" width="${n(px)}" height="${n(px)}" fill="rgb(${level},${level},${level})"/>`);
  });
  return true;
}

/** The raster as an SVG document; `title` goes above it, `note` below the image. */
export function rasterSvg(raster: Raster, title: string, note = ""): string {
  const W = 780;
  const left = 175; // room for the input image
  const right = W - 20;
  const gap = 26; // each band's label sits in the gap above it
  const top = 36 + gap;
  const bandHeight = (l: RasterLayer) => (l.id === "input" ? 150 : 105);
  const bands = raster.layers.slice().reverse(); // the last hidden layer on top, the input at the bottom
  const plotBottom = top + bands.reduce((h, l) => h + bandHeight(l) + gap, -gap);
  const H = plotBottom + 42;
  const dx = (right - left) / raster.steps;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`);

  let y = top;
  const hidden = raster.layers.filter((l) => l.id !== "input").map((l) => l.id);
  for (const layer of bands) {
    const h = bandHeight(layer);
    const color = layer.id === "input" ? INPUT_COLOR : LAYER_COLORS[hidden.indexOf(layer.id) % LAYER_COLORS.length];
    const dy = h / layer.size;
    parts.push(`<rect x="${left}" y="${y}" width="${right - left}" height="${h}" fill="#fafafa" stroke="#ccc"/>`);
    const name = layer.id === "input" ? "input" : `layer ${layer.id}`;
    const count = `${layer.size} ${layer.id === "input" ? "units" : "neurons"}, ${layer.times.length} spikes`;
    parts.push(`<text x="${left}" y="${y - 7}"><tspan font-weight="bold" fill="${color}">${esc(name)}</tspan><tspan dx="5" fill="#555">· ${count}</tspan></text>`);
    layer.times.forEach((t, k) => {
      // Unit 0 at the bottom of its band, as on the report's y axis.
      const cy = y + h - (layer.units[k] + 0.5) * dy;
      const mh = Math.max(dy, 1.6);
      parts.push(`<rect x="${n(left + t * dx + dx * 0.1)}" y="${n(cy - mh / 2)}" width="${n(dx * 0.8)}" height="${n(mh)}" fill="${color}"/>`);
    });
    y += h + gap;
  }

  // The time axis under the bands.
  const step = raster.steps <= 20 ? 5 : raster.steps <= 200 ? 20 : 100;
  for (let t = 0; t <= raster.steps; t += step) {
    const x = n(left + t * dx);
    parts.push(`<line x1="${x}" x2="${x}" y1="${plotBottom}" y2="${plotBottom + 5}" stroke="#333"/><text x="${x}" y="${plotBottom + 18}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<text x="${(left + right) / 2}" y="${plotBottom + 35}" text-anchor="middle">time step</text>`);

  const input = raster.layers.find((l) => l.id === "input");
  const side = 140;
  if (input && inputImage(input, 12, top, side, parts) && note) {
    note.split("\n").forEach((line, k) => parts.push(`<text x="12" y="${top + side + 18 + 15 * k}" fill="#555">${esc(line)}</text>`));
  }
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
