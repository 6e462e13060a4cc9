// The CPU forward kernels share a batch's samples out between their threads at run time (a thread
// that finishes its own range takes samples from the back of the others': SampleCursor,
// templates/cpu/partials/share-samples.hbs). Which thread runs a sample must change nothing: the
// spikes, membranes, logits and stats of a conv → max-pool → dense → readout network (every
// forward kernel that shares samples) are bit for bit the same under 1, 2 and 8 OpenMP threads
// (13 samples: uneven splits). Eight threads on this machine's cores are preempted mid-range, so
// samples change hands.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { buildModel } from "../support/build-model.ts";
import { randomConvSpec } from "../support/random-spec.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "snnc-threads-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function digest(specFile: string, addonPath: string, threads: number): { digest: string; spikes: number } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "test/support/forward-digest.ts", specFile, addonPath, "13", "4"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

it("conv → max-pool → dense → readout: the forward's outputs do not depend on the thread count", async () => {
  // Random conv spec 9 (the CPU numerics test's): conv, max-pool, dense after the flatten, readout.
  const spec = randomConvSpec(9, { pool: true, dense: true });
  const { net, addonPath } = await buildModel(spec);
  expect(net.layers.map((l) => l.kind)).toEqual(expect.arrayContaining(["conv", "maxpool", "dense", "readout"]));
  const specFile = join(tmp, "spec.json");
  writeFileSync(specFile, JSON.stringify(spec));
  const [one, ...more] = [1, 2, 8].map((threads) => digest(specFile, addonPath, threads));
  expect(one.spikes, "the batches made spikes").toBeGreaterThan(0);
  for (const d of more) expect(d).toEqual(one);
}, 300_000);
