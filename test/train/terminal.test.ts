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

  it("clears its line before a signal notice is printed, and gives the notice back to stderr after", () => {
    const term = terminal(80);
    const p = createProgress("bar", { stream: term.stream });
    const stop = installStopSignals();
    try {
      p.start(1, 2, 100, 0);
      process.emit("SIGTERM", "SIGTERM");
      expect(stop.requested).toBe(true);
      expect(term.text()).toContain("\r\x1b[2KSIGTERM: finishing this batch, then writing a checkpoint");
      p.stop();
    } finally {
      stop.dispose();
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
