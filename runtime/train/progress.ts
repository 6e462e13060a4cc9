// Progress during an epoch: a cli-progress bar (batches/s, ETA, running loss and accuracy) when
// stderr is a terminal, plain lines at most every few seconds otherwise (logs, CI, pipes), or nothing.
// The bar fits the terminal's width (shorter forms when narrow: loss and accuracy are the last
// thing dropped), and signal notices are printed above it, not into it.

import { writeLine } from "../util/closed-stdout.ts";
import cliProgress from "cli-progress";
import { setNotifyWriter } from "./interrupt.ts";

export type ProgressMode = "bar" | "lines" | "none";

export interface Progress {
  /** An epoch starts (1-based epoch) with `batches` in all, `done` of them already trained (resume). */
  start(epoch: number, epochs: number, batches: number, done: number): void;
  /** After each batch: batches done in this epoch and the epoch's running loss and accuracy. */
  update(done: number, loss: number, accuracy: number): void;
  /** The epoch's training part is over (or was cut short): clear the bar before printing. */
  stop(): void;
}

export function progressMode(requested: ProgressMode | "auto" = "auto", stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (requested !== "auto") return requested;
  return stream.isTTY ? "bar" : "lines";
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "?";
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "–");
const fixed = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "–");

export function createProgress(
  mode: ProgressMode,
  opts: { write?: (line: string) => void; intervalSeconds?: number; stream?: NodeJS.WriteStream } = {},
): Progress {
  if (mode === "none") return { start() {}, update() {}, stop() {} };
  if (mode === "bar") return barProgress(opts.stream ?? process.stderr);
  return lineProgress(opts.write ?? writeLine, opts.intervalSeconds ?? 5);
}

/** Widest values of the bar's fields: rate "1234.5", ETA "99h59m", loss "12.345", accuracy "100.0%". */
const FIELD_WIDTH = { rate: 6, eta: 6, loss: 6, acc: 6 };

/** The bar's format and bar width for a terminal `columns` wide, the longest form that fits with a
 *  bar of at least 8 cells (at most 24). One column is left free so the cursor never wraps. */
export function barLayout(columns: number, epoch: number, epochs: number, batches: number): { format: string; barsize: number } {
  const count = `${batches}/${batches}`.length;
  const forms: [string, number][] = [
    [`epoch ${epoch}/${epochs} {bar} {value}/{total} batches | {rate} batches/s | ETA {eta_formatted} | loss {loss} acc {acc}`, count + FIELD_WIDTH.rate + FIELD_WIDTH.eta + FIELD_WIDTH.loss + FIELD_WIDTH.acc],
    [`epoch ${epoch}/${epochs} {bar} {value}/{total} | {rate}/s | ETA {eta_formatted} | loss {loss} acc {acc}`, count + FIELD_WIDTH.rate + FIELD_WIDTH.eta + FIELD_WIDTH.loss + FIELD_WIDTH.acc],
    [`${epoch}/${epochs} {bar} {value}/{total} ETA {eta_formatted} loss {loss} acc {acc}`, count + FIELD_WIDTH.eta + FIELD_WIDTH.loss + FIELD_WIDTH.acc],
    [`${epoch}/${epochs} {bar} loss {loss} acc {acc}`, FIELD_WIDTH.loss + FIELD_WIDTH.acc],
    [`{bar} {loss} {acc}`, FIELD_WIDTH.loss + FIELD_WIDTH.acc],
  ];
  const room = Math.max(1, columns - 1);
  for (const [format, fields] of forms) {
    const fixed = format.replace(/\{[a-z_]+\}/g, "").length + fields;
    if (fixed + 8 <= room) return { format, barsize: Math.min(24, room - fixed) };
  }
  const [format, fields] = forms[forms.length - 1];
  return { format, barsize: Math.max(1, room - format.replace(/\{[a-z_]+\}/g, "").length - fields) };
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: cliProgress.SingleBar | null = null;
  let t0 = 0;
  let first = 0;
  let restoreNotify: (() => void) | null = null;
  // A second signal exits at once: give the cursor back (the bar hides it).
  const showCursor = () => stream.write("\x1b[?25h");
  return {
    start(epoch, epochs, batches, done) {
      const { format, barsize } = barLayout(stream.columns || 80, epoch, epochs, batches);
      bar = new cliProgress.SingleBar(
        {
          format,
          stream,
          hideCursor: true,
          clearOnComplete: true,
          barsize,
          etaBuffer: 30,
          fps: 5,
          progressCalculationRelative: true,
        },
        cliProgress.Presets.shades_classic,
      );
      t0 = performance.now();
      first = done;
      bar.start(batches, done, { rate: "–", loss: "–", acc: "–" });
      // Signal notices: clear the bar's line, print the notice, and let the bar redraw below it.
      // cli-progress saved the cursor where the bar started and returns there when it stops: save
      // it again on the bar's new line (ESC 7), or stopping would overwrite the notice.
      restoreNotify = setNotifyWriter((line) => stream.write(`\r\x1b[2K${line.replace(/^\n/, "")}\r\n\x1b7`));
      process.once("exit", showCursor);
    },
    update(done, loss, accuracy) {
      const s = (performance.now() - t0) / 1000;
      bar?.update(done, { rate: s > 0 ? ((done - first) / s).toFixed(1) : "–", loss: fixed(loss), acc: pct(accuracy) });
    },
    stop() {
      bar?.stop();
      bar = null;
      restoreNotify?.();
      restoreNotify = null;
      process.off("exit", showCursor);
    },
  };
}

function lineProgress(write: (line: string) => void, intervalSeconds: number): Progress {
  let t0 = 0;
  let last = 0;
  let first = 0;
  let total = 0;
  let label = "";
  return {
    start(epoch, epochs, batches, done) {
      t0 = last = performance.now();
      first = done;
      total = batches;
      label = `epoch ${epoch}/${epochs}`;
    },
    update(done, loss, accuracy) {
      const now = performance.now();
      if (now - last < intervalSeconds * 1000 || done >= total) return;
      last = now;
      const rate = (done - first) / ((now - t0) / 1000);
      write(`  ${label}  batch ${done}/${total}  ${rate.toFixed(1)} batches/s  ETA ${formatSeconds((total - done) / rate)}  loss ${fixed(loss)} acc ${pct(accuracy)}`);
    },
    stop() {},
  };
}
