// The exit-code rule of docs/cli.md, command by command (issue 26, item 10): 2 when the command line or
// the spec is wrong in itself (an unknown command or option, a value of the wrong form, options
// that exclude each other, an invalid or unreadable spec); 1 when all of that is well-formed but
// the command cannot be carried out with it (a file that is not what it should be or not of this
// spec, files in the way, the disk, the data). Every case fails before any kernel is built. The
// cases run main() in this process (test/support/cli-here.ts); the import in beforeAll is spawned.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snncHere } from "../support/cli-here.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "snnc-exit-codes-"));
const TINY = "models/tiny.json";
const NIR = "test/nir/fixtures/lif2-snntorch.nir";
const t = (name: string) => join(tmp, name);

beforeAll(() => {
  mkdirSync(t("folder"));
  writeFileSync(t("taken.json"), "{}");
  writeFileSync(t("taken.safetensors"), "x");
  writeFileSync(t("bad.json"), JSON.stringify({ name: "bad" }));
  // A checkpoint of another spec: snnc import's weights for the lif2 graph.
  expect(snnc("import", NIR, "--dt-ms", "1", "--out", t("lif2.json")).code).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function snnc(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "snnc.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SNNC_DEBUG: "" } });
  return { code: r.status, stderr: r.stderr };
}

const USAGE = 2;
const FAILED = 1;

const cases: [command: string, what: string, args: string[], code: number][] = [
  ["validate", "an unknown option", ["validate", TINY, "--nope"], USAGE],
  ["validate", "a spec that is not there", ["validate", t("missing.json")], USAGE],
  ["validate", "an invalid spec", ["validate", t("bad.json")], USAGE],
  ["inspect", "an unknown kernel name", ["inspect", TINY, "--emit", "no_such_kernel"], USAGE],
  ["compile", "an unknown backend", ["compile", TINY, "--backend", "tpu"], USAGE],
  ["bench", "no spec and no preset", ["bench"], USAGE],
  ["bench", "a --sweep it cannot read", ["bench", TINY, "--sweep", "junk"], USAGE],
  ["bench", "a --sweep with a size of 0", ["bench", TINY, "--sweep", "hidden=0"], USAGE],
  ["bench", "--plot naming a folder", ["bench", TINY, "--plot", t("folder")], FAILED],
  ["train", "--init with --resume", ["train", TINY, "--init", t("a"), "--resume", t("b")], USAGE],
  ["train", "--warmup-epochs with --schedule one-cycle", ["train", TINY, "--warmup-epochs", "1", "--schedule", "one-cycle"], USAGE],
  ["train", "--early-stop with --val 0", ["train", TINY, "--early-stop", "2", "--val", "0"], USAGE],
  ["train", "--init naming no file", ["train", TINY, "--init", t("missing.safetensors"), "--out", t("run-1")], FAILED],
  ["train", "--resume naming no file", ["train", TINY, "--resume", t("missing.safetensors")], FAILED],
  ["train", "--resume with a checkpoint of another spec", ["train", TINY, "--resume", t("lif2.safetensors")], FAILED],
  ["train", "--data naming no folder", ["train", TINY, "--data", t("no-data"), "--out", t("run-2")], FAILED],
  ["eval", "a checkpoint that is not there", ["eval", TINY, t("missing.safetensors")], FAILED],
  ["eval", "a checkpoint of another spec", ["eval", TINY, t("lif2.safetensors")], FAILED],
  ["eval", "a --limit of 0", ["eval", TINY, t("lif2.safetensors"), "--limit", "0"], USAGE],
  ["report", "a run folder that is not there", ["report", t("no-run")], FAILED],
  ["import", "no --dt-ms", ["import", NIR], USAGE],
  ["import", "--out without .json", ["import", NIR, "--dt-ms", "1", "--out", t("w.safetensors")], USAGE],
  ["import", "--steps 1", ["import", NIR, "--dt-ms", "1", "--steps", "1", "--out", t("s.json")], USAGE],
  ["import", "--name that is no spec name", ["import", NIR, "--dt-ms", "1", "--name", "1st", "--out", t("n.json")], USAGE],
  ["import", "--out over the input", ["import", t("lif2.json"), "--dt-ms", "1", "--out", t("lif2.json"), "--force"], USAGE],
  ["import", "a spec and weights already there", ["import", NIR, "--dt-ms", "1", "--out", t("taken.json")], FAILED],
  ["import", "a file that is not NIR", ["import", TINY, "--dt-ms", "1", "--out", t("x.json")], FAILED],
  ["import", "a --dt-ms whose α rounds to 1", ["import", NIR, "--dt-ms", "1e-300", "--out", t("d.json")], FAILED],
  ["export", "a spec that is not there", ["export", t("missing.json"), "--out", t("m.nir")], USAGE],
  ["export", "--out that is its spec", ["export", t("lif2.json"), "--out", t("lif2.json")], USAGE],
  ["export", "a checkpoint that is not there", ["export", TINY, "--checkpoint", t("missing.safetensors"), "--out", t("e.nir")], FAILED],
  ["export", "a checkpoint of another spec", ["export", TINY, "--checkpoint", t("lif2.safetensors"), "--out", t("e.nir")], FAILED],
];

describe("exit codes follow the rule of docs/cli.md", () => {
  for (const [command, what, args, code] of cases)
    it(`${command}: ${what} → ${code}`, async () => {
      const r = await snncHere(args);
      expect(r.stderr).not.toContain("internal error");
      expect(r.stderr).not.toContain("    at ");
      expect(r.code, r.stderr).toBe(code);
    });
});
