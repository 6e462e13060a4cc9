// Draws a training run's spike raster (its raster.json) as the SVG the README shows. The committed
// picture, docs/img/fmnist-raster.svg, came from a one-epoch run of the shipped F-MNIST network on
// the CPU backend (about 30 s on 2 cores):
//
//   npx snnc train models/fmnist.json --epochs 1 --backend cpu --out /tmp/fmnist-1
//   npx tsx scripts/docs/draw-raster.ts /tmp/fmnist-1 docs/img/fmnist-raster.svg

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Raster } from "../../runtime/train/raster.ts";
import type { EpochRecord } from "../../runtime/train/run-dir.ts";
import { rasterSvg } from "./raster-svg.ts";

// The data set's own class names (Zalando's labels 0 … 9); other data sets show the label number.
const FASHION_MNIST = ["T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

const [runDir, out] = process.argv.slice(2);
if (!runDir || !out) {
  process.stderr.write("usage: npx tsx scripts/docs/draw-raster.ts <run-dir> <out.svg>\n");
  process.exit(2);
}

const raster = JSON.parse(readFileSync(join(runDir, "raster.json"), "utf8")) as Raster;
const spec = JSON.parse(readFileSync(join(runDir, "spec.json"), "utf8")) as { name: string; input: { dataset: string } };
const epoch = readFileSync(join(runDir, "metrics.jsonl"), "utf8")
  .split("\n")
  .filter((line) => line.startsWith("{"))
  .map((line) => JSON.parse(line) as EpochRecord)
  .find((r) => r.type === "epoch" && r.epoch === raster.epoch);

const className = (c: number) => (spec.input.dataset === "fashion-mnist" ? FASHION_MNIST[c] : `class ${c}`);
const accuracy = epoch ? `, ${(100 * epoch.test.accuracy).toFixed(1)}% test accuracy` : "";
const title = `${spec.name} after ${raster.epoch} epoch${raster.epoch === 1 ? "" : "s"}${accuracy}: test sample ${raster.sample}, a ${className(raster.label)}, classified as ${className(raster.predicted)}`;
writeFileSync(out, rasterSvg(raster, title, "the input image, as its\nspike times encode it\n(earlier is brighter)"));
process.stdout.write(`wrote ${out}\n`);
