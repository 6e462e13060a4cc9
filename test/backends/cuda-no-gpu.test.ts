// The CUDA addon on a machine with nvcc but no GPU (CI, development machines): it builds, loads
// (static cudart: no libcudart or libcuda needed), and creating a model gives one sentence that
// says what is missing and what to do, as a user error (exit 1, no stack trace).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { gpuPresent } from "../../runtime/model/open-model.ts";
import { ModelError, SnnModel } from "../../runtime/model/snn-model.ts";
import { buildModel } from "../support/build-model.ts";

const hasNvcc = spawnSync("nvcc", ["--version"]).status === 0;
const NO_DEVICE = /^no CUDA device is available \(.+\); use --backend cpu$/;

describe.skipIf(!hasNvcc || gpuPresent())("the CUDA backend without a GPU", () => {
  it("loads, and refuses to create a model with one clear sentence", async () => {
    const { net, addon } = await buildModel("models/tiny.json", "cuda");
    expect(addon.info.backend).toBe("cuda");
    let error: unknown;
    try {
      new SnnModel(net, addon);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(NO_DEVICE);
  });

  it("snnc train --backend cuda exits 1 with that sentence and no stack trace, before building anything or creating a run directory", () => {
    const out = join(mkdtempSync(join(tmpdir(), "snnc-no-gpu-")), "run");
    const r = spawnSync(process.execPath, ["bin/snnc.mjs", "train", "models/tiny.json", "--backend", "cuda", "--epochs", "1", "--out", out], {
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain("building");
    expect(existsSync(out)).toBe(false);
    rmSync(dirname(out), { recursive: true, force: true });
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(NO_DEVICE);
    expect(r.stderr).not.toContain("    at ");
  });
});
