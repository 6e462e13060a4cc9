// Spiking Heidelberg Digits (Cramer et al. 2020) from shd_train.h5 / shd_test.h5 in a directory.
// File layout (HDF5): spikes/times — per sample an array of spike times in seconds (the released
// files use variable-length float16), spikes/units — per sample the matching channel numbers
// (variable-length uint16, 0…699), labels — one class per sample (0…19).
// We also accept times/units as 2-D [samples, maxEvents] arrays padded with non-finite times,
// which is what h5wasm can write (it cannot create numeric variable-length datasets); tests use it.
//
// Reference preprocessing (docs/design.md §2): 700 channels, bin = ⌊time_s·1000 / binMs⌋ (2 ms),
// the first `steps` bins (500), non-finite (and negative) times dropped, several spikes of one
// channel in one bin clamp to one. SHD is small (≈10k samples), so both splits are decoded
// eagerly into 16-bit packed arrays.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "h5wasm/node";
import { DataError } from "./data-error.ts";
import { EventCollector } from "./events.ts";
import { PackedBuilder, type PackedDataset } from "./packed-dataset.ts";
import { readRows, readVector, rowInfo, type RowInfo } from "./hdf5-rows.ts";
import { hdf5CutShort } from "../util/hdf5-length.ts";

export const SHD_CHANNELS = 700;
export const SHD_CLASSES = 20;
/** Rows read from HDF5 per call: bounds the wasm heap used for a block of variable-length rows. */
const BLOCK = 256;

export interface ShdOptions {
  /** Bin width in milliseconds (reference: 2). */
  binMs: number;
  /** Number of bins kept from t = 0 (reference: 500). */
  steps: number;
}

type H5 = typeof import("h5wasm/node");
let h5Loading: Promise<{ h5: H5; Module: Awaited<H5["default"]["ready"]> }> | undefined;

/** Load h5wasm once (its wasm start-up is ~50 ms; other datasets never pay it). */
async function h5wasm(): Promise<{ h5: H5; Module: Awaited<H5["default"]["ready"]> }> {
  h5Loading ??= (async () => {
    const h5 = await import("h5wasm/node");
    const Module = await h5.default.ready;
    // HDF5 errors become exceptions instead of a diagnostic dump on stderr.
    Module.activate_throwing_error_handler();
    return { h5, Module };
  })();
  return h5Loading;
}

/** Read one SHD file into a dataset named `name`. */
export async function readShdFile(file: string, name: string, opts: ShdOptions): Promise<PackedDataset> {
  checkOptions(opts);
  if (!existsSync(file)) {
    if (existsSync(`${file}.gz`)) {
      throw new DataError(`${file}.gz`, `is compressed; decompress it first (gunzip -k ${file}.gz)`);
    }
    throw new DataError(file, "file not found; SHD needs shd_train.h5 and shd_test.h5 in --data");
  }
  if (!statSync(file).isFile()) throw new DataError(file, "is not a file");
  const cut = hdf5CutShort(file); // h5wasm would call it unreadable, or fail on a dataset inside
  if (cut) throw new DataError(file, `an HDF5 file ${cut}`);
  const { h5, Module } = await h5wasm();
  let f: InstanceType<H5["File"]>;
  try {
    f = new h5.File(file, "r");
  } catch (e) {
    throw new DataError(file, `not a readable HDF5 file (${hdf5Cause(e)})`);
  }
  try {
    const getData = (path: string): { ds: Dataset; info: RowInfo } => {
      let ds: unknown = null;
      try {
        ds = f.get(path);
      } catch {
        ds = null; // a missing parent group throws with the throwing error handler
      }
      if (!(ds instanceof h5.Dataset)) throw new DataError(file, ds === null ? "missing" : "is not a dataset", { dataset: path });
      const info = rowInfo(ds);
      if (typeof info === "string") throw new DataError(file, info, { dataset: path });
      return { ds, info };
    };
    const labelsDs = getData("labels");
    const timesDs = getData("spikes/times");
    const unitsDs = getData("spikes/units");
    if (labelsDs.info.layout !== "scalar") throw new DataError(file, "expected one label per sample (1-D)", { dataset: "labels" });
    const labels = guard(file, "labels", () => readVector(Module, labelsDs.ds, labelsDs.info));
    const n = labels.length;
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(labels[i]) || labels[i] < 0 || labels[i] >= SHD_CLASSES) {
        throw new DataError(file, `sample ${i}: label ${labels[i]} outside [0, ${SHD_CLASSES})`, { dataset: "labels" });
      }
    }
    for (const [path, d] of [["spikes/times", timesDs], ["spikes/units", unitsDs]] as const) {
      if (d.info.layout === "scalar") throw new DataError(file, "expected one array per sample (variable-length or 2-D)", { dataset: path });
      if (d.info.rows !== n) throw new DataError(file, `has ${d.info.rows} samples but labels has ${n}`, { dataset: path });
    }
    if (timesDs.info.layout !== unitsDs.info.layout || timesDs.info.width !== unitsDs.info.width) {
      throw new DataError(file, "layout differs from spikes/times (both must be variable-length, or 2-D of one shape)", { dataset: "spikes/units" });
    }

    const builder = new PackedBuilder(name, SHD_CHANNELS, opts.steps, SHD_CLASSES);
    const events = new EventCollector(SHD_CHANNELS, opts.steps, 16384);
    for (let start = 0; start < n; start += BLOCK) {
      const count = Math.min(BLOCK, n - start);
      const times = guard(file, "spikes/times", () => readRows(Module, timesDs.ds, timesDs.info, start, count));
      const units = guard(file, "spikes/units", () => readRows(Module, unitsDs.ds, unitsDs.info, start, count));
      for (let r = 0; r < count; r++) {
        const i = start + r;
        const t = times[r];
        const u = units[r];
        if (t.length !== u.length) {
          throw new DataError(file, `sample ${i}: ${u.length} units for ${t.length} times`, { dataset: "spikes/units" });
        }
        events.reset();
        for (let k = 0; k < t.length; k++) {
          if (!Number.isFinite(t[k])) continue; // dropped (reference preprocessing; also 2-D padding)
          const unit = u[k];
          if (!Number.isInteger(unit) || unit < 0 || unit >= SHD_CHANNELS) {
            throw new DataError(file, `sample ${i}, spike ${k}: unit ${unit} outside [0, ${SHD_CHANNELS})`, { dataset: "spikes/units" });
          }
          const bin = Math.floor((t[k] * 1000) / opts.binMs);
          if (bin >= 0 && bin < opts.steps) events.add(bin, unit);
        }
        builder.push(events.toSample(labels[i]));
      }
    }
    return builder.build();
  } finally {
    f.close();
  }
}

export async function loadShd(opts: ShdOptions & { dir: string }): Promise<{ train: PackedDataset; test: PackedDataset; source: string }> {
  const o: ShdOptions = { binMs: opts.binMs, steps: opts.steps };
  const train = await readShdFile(join(opts.dir, "shd_train.h5"), "shd/train", o);
  const test = await readShdFile(join(opts.dir, "shd_test.h5"), "shd/test", o);
  return { train, test, source: `SHD HDF5 files in ${opts.dir} (${train.length} train / ${test.length} test)` };
}

/** Run an HDF5 read, turning h5wasm/HDF5 exceptions into a DataError naming the dataset. */
function guard<T>(file: string, dataset: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(file, `cannot read (${hdf5Cause(e)})`, { dataset });
  }
}

function hdf5Cause(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // HDF5's throwing handler puts its whole error stack in the message, outermost call first;
  // the innermost entry ("H5F__super_read(): file signature not found") names the real cause.
  const causes = [...text.matchAll(/ in \w+\(\): (.*)$/gm)].map((m) => m[1].trim());
  if (causes.length > 0) return causes[causes.length - 1];
  return text.split("\n").find((l) => l.trim().length > 0)?.trim() ?? "unknown error";
}

function checkOptions(opts: ShdOptions): void {
  if (!(opts.binMs > 0) || !Number.isFinite(opts.binMs)) throw new RangeError(`SHD: binMs must be a positive number, got ${opts.binMs}`);
  if (!Number.isInteger(opts.steps) || opts.steps < 1) throw new RangeError(`SHD: steps must be a positive integer, got ${opts.steps}`);
}
