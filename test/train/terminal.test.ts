// The terminal (issue 13, item 8): the progress bar and the epoch lines fit the terminal's width,
// short forms when narrow, loss and accuracy kept longest; a signal notice clears the bar's line
// instead of being overwritten by it.

import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { epochLine, epochLines } from "../../runtime/train/format.ts";
import { installStopSignals } from "../../runtime/train/interrupt.ts";
import { barLayout, createProgress } from "../../runtime/train/progress.ts";
import type { EpochRecord } from "../../runtime/train/run-dir.ts";

/** A fake terminal `columns` wide that records what is written. */
function terminal(columns: number) {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns, rows: 24 }) as unknown as NodeJS.WriteStream & PassThrough;
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

/** What stays visible: each \r- or \n-separated segment without escape sequences. */
const segments = (text: string) =>
  text
    .replace(/\x1b\[\d*G/g, "\r") // cursor to column n: a redraw of the line
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
    .split(/[\r\n]/)
    .filter((s) => s.trim() !== "");

/** A tiny terminal emulator: the screen's non-empty lines after `text` (the control sequences
 *  cli-progress and snnc use: CR, LF, ESC 7/8, CSI n G, CSI 0/2 K; other CSI ignored). */
function screen(text: string): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  let saved = { row: 0, col: 0 };
  const line = () => (rows[row] ??= []);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\r") col = 0;
    else if (c === "\n") row++;
    else if (c === "\x1b") {
      if (text[i + 1] === "7") (saved = { row, col }), i++;
      else if (text[i + 1] === "8") ({ row, col } = saved), i++;
      else if (text[i + 1] === "[") {
        const m = /^\[([0-9;?]*)([A-Za-z])/.exec(text.slice(i + 1))!;
        i += m[0].length;
        if (m[2] === "G") col = Math.max(0, Number(m[1] || 1) - 1);
        else if (m[2] === "K" && m[1] === "2") rows[row] = [];
        else if (m[2] === "K") line().length = Math.min(line().length, col);
      }
    } else {
      const l = line();
      while (l.length < col) l.push(" ");
      l[col++] = c;
    }
  }
  return rows.map((r) => (r ?? []).join("").trimEnd()).filter((r) => r !== "");
}

describe("the progress bar", () => {
  it.each([200, 120, 100, 80, 60, 40])("fits %i columns in its widest case", (columns) => {
    const { format, barsize } = barLayout(columns, 12, 100, 938);
    const worst = format
      .replace("{bar}", "█".repeat(barsize))
      .replace("{value}", "938")
      .replace("{total}", "938")
      .replace("{rate}", "1234.5")
      .replace("{eta_formatted}", "99h59m")
      .replace("{loss}", "12.345")
      .replace("{acc}", "100.0%");
    expect(worst.length).toBeLessThan(columns);
    expect(worst).toContain("12.345");
    expect(worst).toContain("100.0%");
    if (columns >= 80) expect(worst).toContain("ETA 99h59m");
  });

  it("drawn by cli-progress on an 80-column terminal, keeps loss and accuracy on screen", async () => {
    const term = terminal(80);
    const p = createProgress("bar", { stream: term.stream });
    p.start(3, 30, 938, 0);
    p.update(400, 0.8123, 0.712);
    await new Promise((r) => setTimeout(r, 400)); // the bar redraws on its own timer
    p.stop();
    const shown = segments(term.text());
    for (const s of shown) expect(s.length).toBeLessThan(80);
    expect(shown.some((s) => s.includes("loss 0.812 acc 71.2%"))).toBe(true);
  });

  it("after a signal: the notice stays, the bar goes, the lines printed after it are clean", async () => {
    const term = terminal(80);
    const p = createProgress("bar", { stream: term.stream });
    const stop = installStopSignals();
    try {
      term.stream.write("run directory: /tmp/x\r\n");
      p.start(2, 30, 128, 0);
      stop.beginTraining();
      p.update(5, 0.708, 0.75);
      term.stream.write("^C"); // the terminal's echo of Ctrl-C, at the end of the bar
      process.emit("SIGINT", "SIGINT");
      expect(stop.requested).toBe(true);
      p.update(6, 0.796, 0.708);
      await new Promise((r) => setTimeout(r, 300)); // the bar redraws below the notice
      p.stop();
      // What trainLoop prints next, on the same terminal (stdout).
      term.stream.write("interrupted in epoch 2 after 24 of 512 samples; checkpoint written to /tmp/x/last.safetensors\r\n");
      term.stream.write("resume with: snnc train a.json --resume /tmp/x/last.safetensors\r\n");
    } finally {
      stop.dispose();
    }
    expect(screen(term.text())).toEqual([
      "run directory: /tmp/x",
      "interrupt: finishing this batch, then writing a checkpoint (Ctrl-C again to quit at once)",
      "interrupted in epoch 2 after 24 of 512 samples; checkpoint written to /tmp/x/last.safetensors",
      "resume with: snnc train a.json --resume /tmp/x/last.safetensors",
    ]);
  });
});

describe("a stop's notice", () => {
  it("before the first batch says the run stops there; once training began, that a batch finishes first", () => {
    for (const [begun, line] of [
      [false, "\ninterrupt: stopping before training begins (Ctrl-C again to quit at once)"],
      [true, "\ninterrupt: finishing this batch, then writing a checkpoint (Ctrl-C again to quit at once)"],
    ] as const) {
      const lines: string[] = [];
      const stop = installStopSignals((l) => lines.push(l));
      try {
        if (begun) stop.beginTraining();
        process.emit("SIGINT", "SIGINT");
        expect(stop.signal).toBe("SIGINT");
      } finally {
        stop.dispose();
      }
      expect(lines).toEqual([line]);
    }
  });
});

describe("the epoch line", () => {
  const layer = (id: string) => ({ id, activeFraction: 0.2173, spikeRate: 0.0841, spikes: 0, active: 0 });
  const split = { loss: 1.3261, accuracy: 0.3612, samples: 512, seconds: 1.2, layers: [layer("l1"), layer("l2"), layer("l3")] };
  const record = {
    type: "epoch",
    epoch: 12,
    epochs: 30,
    train: split,
    test: split,
    seconds: 41.23,
    trainSeconds: 40,
    evalSeconds: 1.23,
    samplesPerSecond: 1456.2,
    lr: 0.001,
    adamSteps: 100,
    time: "",
  } as unknown as EpochRecord;

  it("is one line in logs and pipes (no width)", () => {
    expect(epochLines(record)).toEqual([epochLine(record)]);
    expect(epochLine(record).length).toBeGreaterThan(150);
  });

  it.each([80, 60, 40])("fits %i columns, activity on indented lines of its own", (columns) => {
    const lines = epochLines(record, columns);
    for (const l of lines) expect(l.length).toBeLessThan(columns);
    expect(lines[0]).toMatch(/^(epoch )?12\/30 /);
    expect(lines.slice(1).every((l) => l.startsWith("  "))).toBe(true);
    expect(lines.join(" ")).toContain("l3");
  });
});
