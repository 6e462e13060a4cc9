// `snnc import` and `snnc export` end to end (main() in this process, one file spawned as users run it): malformed files get one
// sentence each and exit 1 with no stack trace; a good file becomes a spec that validates; an
// export writes a file that imports back.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readNirFile, writeNirFile } from "../../runtime/nir/nir-file.ts";
import { snncHere } from "../support/cli-here.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "snnc.mjs");
const FIX = "test/nir/fixtures";
const tmp = mkdtempSync(join(tmpdir(), "snnc-nir-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `snnc …` as a user runs it: a child process. */
function snncSpawned(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SNNC_DEBUG: "" } });
  const out = { code: r.status, stdout: r.stdout, stderr: r.stderr };
  expect(out.stdout + out.stderr).not.toContain("    at ");
  return out;
}

/** The same command run by main() in this process (test/support/cli-here.ts): no start-up cost. */
async function snnc(args: string[]) {
  const out = await snncHere(args);
  expect(out.stdout + out.stderr).not.toContain("    at ");
  return out;
}

describe("snnc import of malformed or unsupported files", () => {
  const cases: [string, string][] = [
    ["not-hdf5.nir", `${FIX}/not-hdf5.nir is not an HDF5 file, so not a NIR file`],
    ["not-nir.h5", `${FIX}/not-nir.h5 is an HDF5 file but not a NIR file: it has no /node group`],
    ["no-type.nir", `${FIX}/no-type.nir: node "lif1" has no "type" string`],
    ["unknown-edge.nir", `${FIX}/unknown-edge.nir: edge 5 (lif1 → lif9) names "lif9", which is not a node of the graph`],
    ["bad-weight.nir", `${FIX}/bad-weight.nir: node "fc2" (Linear): weight has shape [2, 7] but its input "lif1" has 5 values`],
    ["missing.nir", `${FIX}/missing.nir: no such file`],
  ];
  for (const [file, message] of cases)
    it(file, async () => {
      const out = join(tmp, `${file}.json`);
      // The first case through bin/snnc.mjs in a child process, the rest in this process.
      const args = ["import", `${FIX}/${file}`, "--dt-ms", "1", "--out", out];
      const r = file === cases[0][0] ? snncSpawned(args) : await snnc(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${message}\n`);
      expect(r.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    });

  it("says a file cut short is cut short, with both sizes (not \"not an HDF5 file\")", async () => {
    const whole = readFileSync(join(ROOT, FIX, "lif2-snntorch.nir"));
    const cut = join(tmp, "cut.nir");
    writeFileSync(cut, whole.subarray(0, 3000));
    const r = await snnc(["import", cut, "--dt-ms", "1", "--out", join(tmp, "cut.json")]);
    expect(r.stderr).toBe(`${cut} is an HDF5 file cut short: 3000 of its ${whole.length} bytes (an interrupted download or copy?)\n`);
    expect(r.code).toBe(1);
  });

  it("says so when the file's NIR version is not 1.x (or it has none), and imports it all the same", async () => {
    const graph = await readNirFile(join(ROOT, FIX, "lif2-snntorch.nir"));
    const lines = async (version: string | null) => {
      const file = join(tmp, `v-${version}.nir`);
      await writeNirFile(file, graph, version);
      const r = await snnc(["import", file, "--dt-ms", "1", "--out", join(tmp, `v-${version}.json`)]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.split("\n").filter((l) => l.startsWith("note:"));
    };
    const file = (v: string | null) => join(tmp, `v-${v}.nir`);
    expect(await lines("2.0.0")).toEqual([
      `note: ${file("2.0.0")} says NIR version "2.0.0"; snnc reads the layout of NIR 1.x files, so parts of this one may be misread: check the imported spec`,
    ]);
    expect(await lines(null)).toEqual([`note: ${file(null)} has no /version; snnc reads the layout of NIR 1.x files, so check the imported spec`]);
    expect(await lines("1.0.4")).toEqual([]);
  });

  it("needs --dt-ms (usage error, exit 2)", async () => {
    const r = await snnc(["import", `${FIX}/lif2-snntorch.nir`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--dt-ms");
  });

  it("refuses a --dt-ms whose α rounds to 0 or 1 in float32 the same way at both ends: one sentence naming the node, exit 1, nothing written", async () => {
    for (const [dt, alpha, effect] of [
      ["1e-300", 1, "never decays"],
      ["100000", 0, "forgets everything at every step"],
    ] as const) {
      const out = join(tmp, `dt-${dt}.json`);
      const r = await snnc(["import", `${FIX}/lif2-snntorch.nir`, "--dt-ms", dt, "--out", out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `${FIX}/lif2-snntorch.nir: node "lif1" (LIF): tau = 0.005 s with --dt-ms ${dt} gives α = exp(−dt/τ) = ${alpha} in float32, so the layer ${effect} (--dt-ms is in milliseconds, the file's τ in seconds)\n`,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it("refuses an --if-gain it does not know (usage error, exit 2)", async () => {
    const r = await snnc(["import", `${FIX}/if-literal.nir`, "--dt-ms", "1", "--if-gain", "sinabs", "--out", join(tmp, "x.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--if-gain");
  });
});

describe("snnc import and export of good files", () => {
  it("imports a snnTorch-style file into a spec that validates, with its weights beside it", async () => {
    const spec = join(tmp, "lif2.json");
    const r = await snnc(["import", `${FIX}/lif2-snntorch.nir`, "--dt-ms", "1", "--discretization", "euler", "--steps", "20", "--out", spec]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${spec} (3 layers) and ${join(tmp, "lif2.safetensors")} (3 weight tensors)`);
    expect(r.stdout).toContain("assumed dt = 1 ms, Euler discretisation");
    const written = JSON.parse(readFileSync(spec, "utf8"));
    expect(written.description).toContain("Euler discretisation");
    expect(written.time).toEqual({ steps: 20, dt_ms: 1 });
    const v = await snnc(["validate", spec]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });

  it("imports a framework's file with --from alone: its conventions, the step it implies, its reset in every layer", async () => {
    const spec = join(tmp, "rockpool.json");
    const r = await snnc(["import", `${FIX}/lif-rockpool.nir`, "--from", "rockpool", "--out", spec]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "assumed Rockpool's conventions: dt = 1 ms, exact discretisation (α = exp(−dt/τ), per-step input gain 1 (W = W_nir, r unused), CubaLIF synaptic gain α_syn (the current decays once before the membrane reads it)), reset by subtraction in the step of the spike, before the next leak",
    );
    expect(r.stdout).toContain("  (dt = 1 ms: Rockpool's default step; give --dt-ms if the model ran at another)\n");
    const written = JSON.parse(readFileSync(spec, "utf8"));
    expect(written.description).toContain("assuming Rockpool's conventions: dt = 1 ms");
    expect(written.layers.map((l: { neuron?: { reset?: string } }) => l.neuron?.reset)).toEqual(["subtract_same_step", "subtract_same_step"]);
    const other = await snnc(["import", `${FIX}/lif-rockpool.nir`, "--from", "nest", "--out", join(tmp, "nest.json")]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("--from");
  });

  it("imports a recurrent graph (an edge cycle through a Linear) into a recurrent layer with its R", async () => {
    const spec = join(tmp, "recurrent.json");
    const r = await snnc(["import", `${FIX}/recurrent.nir`, "--dt-ms", "1", "--out", spec]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${spec} (2 layers) and ${join(tmp, "recurrent.safetensors")} (3 weight tensors)`);
    const written = JSON.parse(readFileSync(spec, "utf8"));
    expect(written.layers[0]).toMatchObject({ kind: "dense", size: 5, recurrent: true });
    expect(written.description).toContain("A recurrent weight node acts on its layer's spikes of the previous step.");
    const v = await snnc(["validate", spec]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });

  it("exports a spec, and the file imports back with the same name and training settings", async () => {
    const nir = join(tmp, "tiny.nir");
    const e = await snnc(["export", "models/tiny.json", "--out", nir, "--discretization", "euler"]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain(`wrote ${nir}: 8 nodes, the spec's initial weights (seed 0)`);
    const spec = join(tmp, "tiny-back.json");
    const i = await snnc(["import", nir, "--dt-ms", "1", "--discretization", "euler", "--out", spec]);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toContain("training settings restored from the snnc metadata in the file");
    const back = JSON.parse(readFileSync(spec, "utf8"));
    const orig = JSON.parse(readFileSync(join(ROOT, "models/tiny.json"), "utf8"));
    expect(back.name).toBe("tiny");
    expect(back.description).toBe(orig.description);
    expect(back.training.optimizer.lr).toBe(orig.training.optimizer.lr);
  });

  it("import → export → import gives back the first import's spec text, its conventions read from the file", async () => {
    const first = join(tmp, "rt-first.json");
    expect((await snnc(["import", `${FIX}/braille-nodelay-snntorch.nir`, "--from", "snntorch", "--out", first])).code).toBe(0);
    const nir = join(tmp, "rt.nir");
    const e = await snnc(["export", first, "--checkpoint", join(tmp, "rt-first.safetensors"), "--out", nir]);
    expect(e.code, e.stderr).toBe(0);
    const again = join(tmp, "rt-again.json");
    const i = await snnc(["import", nir, "--out", again]); // no --from, no --dt-ms: snnc's metadata says both
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toContain("  (the file's metadata names its exporter: snnc)");
    expect(readFileSync(again, "utf8")).toBe(readFileSync(first, "utf8"));
    // The weights bit for bit (the checkpoint headers differ only in their creation time).
    const tensors = (f: string) => {
      const b = readFileSync(join(tmp, f));
      return b.subarray(8 + Number(b.readBigUInt64LE(0)));
    };
    expect(tensors("rt-again.safetensors").equals(tensors("rt-first.safetensors"))).toBe(true);
  });

  it("imports the NIR paper's CNN shape with IF read per step and to_reset, and exports it back with both", async () => {
    const spec = join(tmp, "cnn.json");
    const r = await snnc(["import", `${FIX}/nmnist-cnn-sinabs.nir`, "--dt-ms", "1", "--reset", "to_reset", "--if-gain", "per-step", "--out", spec]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("reset to v_reset (to_reset: NIR's and Norse's spikes), IF nodes read per step (v += r·I, Sinabs' convention)");
    const written = JSON.parse(readFileSync(spec, "utf8"));
    expect(written.description).toContain("IF nodes read per step");
    expect(written.layers[0]).toMatchObject({ kind: "conv", bias: true, neuron: { leak: false, reset: "to_reset" } });
    expect(written.layers.map((l: { kind: string }) => l.kind)).toEqual(["conv", "conv", "sumpool", "conv", "sumpool", "flatten", "dense", "readout"]);
    const nir = join(tmp, "cnn-back.nir");
    const e = await snnc(["export", spec, "--checkpoint", join(tmp, "cnn.safetensors"), "--out", nir, "--if-gain", "per-step"]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain("import it with --dt-ms 1 --discretization exact --reset to_reset --if-gain per-step");
  });

  it("refuses to export a max-pool, naming the spec and the layer", async () => {
    const r = await snnc(["export", "models/fmnist-conv.json", "--out", join(tmp, "conv.nir")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "models/fmnist-conv.json: /layers/1 is a max-pool, which NIR has no node for (only sum and average pooling), so this network cannot be exported\n",
    );
    expect(existsSync(join(tmp, "conv.nir"))).toBe(false);
  });

  it("export refuses an --out that is its spec or its checkpoint (usage error, exit 2), leaving both intact", async () => {
    const spec = join(tmp, "self.json");
    writeFileSync(spec, readFileSync(join(ROOT, "models/tiny.json")));
    const before = readFileSync(spec);
    let r = await snnc(["export", spec, "--out", spec]);
    expect(r.stderr).toBe(`--out ${spec} is ${spec}, the spec being exported; choose another --out\n`);
    expect(r.code).toBe(2);
    r = await snnc(["export", spec, "--checkpoint", spec, "--out", spec]);
    expect(r.code).toBe(2);
    expect(readFileSync(spec)).toEqual(before);
  });

  it("export refuses a checkpoint of another spec with both names and hashes, as eval does (exit 1)", async () => {
    // The weights snnc import wrote for lif2 (an epoch-0 checkpoint of that spec), and a copy of the
    // spec with another b_th and name: the same tensors, another network.
    const spec = join(tmp, "lif2-ckpt.json");
    expect((await snnc(["import", `${FIX}/lif2-snntorch.nir`, "--dt-ms", "1", "--out", spec])).code).toBe(0);
    const ckpt = join(tmp, "lif2-ckpt.safetensors");
    const other = JSON.parse(readFileSync(spec, "utf8"));
    other.name = "other";
    other.neuron = { ...other.neuron, b_th: 0.5 };
    const otherSpec = join(tmp, "other.json");
    writeFileSync(otherSpec, JSON.stringify(other));
    const out = join(tmp, "other.nir");

    const r = await snnc(["export", otherSpec, "--checkpoint", ckpt, "--out", out]);
    expect(r.stderr).toMatch(new RegExp(`^${ckpt} was trained on spec "lif2-snntorch" \\(hash [0-9a-f]{12}\\) but ${otherSpec} is "other" \\(hash [0-9a-f]{12}\\); use the spec it was trained with\n$`));
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    const e = await snnc(["eval", otherSpec, ckpt]);
    expect(e.stderr).toBe(r.stderr);
    expect(e.code).toBe(1);
    expect((await snnc(["export", spec, "--checkpoint", ckpt, "--out", out])).code).toBe(0);
  });

  it("export needs --out (usage error, exit 2)", async () => {
    expect((await snnc(["export", "models/tiny.json"])).code).toBe(2);
  });
});
