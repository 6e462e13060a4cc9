// `snnc build --out <dir>` outside the repository (issue 26, item 12): cmake-js looks for napi.h
// (node-addon-api) from the addon folder up, which found nothing there and failed with "napi.h: No
// such file or directory". snnc now hands cmake-js its own node-addon-api (compiler/build/napi-include.ts).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeAddonApiInclude, withNodeAddonApi } from "../../compiler/build/napi-include.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "snnc-build-out-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("withNodeAddonApi", () => {
  const inc = "/x/node_modules/node-addon-api";
  it("adds node-addon-api's folder to CMAKE_JS_INC when cmake-js found none, once", () => {
    const configure = ["cmake", "/a", "-DCMAKE_JS_INC=/x/node-api-headers/include", "-DCMAKE_JS_SRC="];
    const got = withNodeAddonApi(configure, inc);
    expect(got).toEqual(["cmake", "/a", `-DCMAKE_JS_INC=/x/node-api-headers/include;${inc}`, "-DCMAKE_JS_SRC="]);
    expect(withNodeAddonApi(got, inc)).toEqual(got);
    expect(withNodeAddonApi(["cmake", "/a"], inc)).toEqual(["cmake", "/a", `-DCMAKE_JS_INC=${inc}`]);
  });

  it("finds snnc's own node-addon-api, with napi.h", () => {
    expect(existsSync(join(nodeAddonApiInclude(), "napi.h"))).toBe(true);
  });
});

describe("snnc build --out outside the repository", () => {
  it("builds an addon that loads, exit 0", { timeout: 300_000 }, () => {
    const out = join(tmp, "tiny-addon");
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "snnc.mjs"), "build", "models/tiny.json", "--backend", "cpu", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, SNNC_DEBUG: "" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^built .*snnc_tiny\.node in \d+\.\d s$/m);
    const addon = join(out, "build", "Release", "snnc_tiny.node");
    expect(Object.keys(createRequire(import.meta.url)(addon))).toContain("Model");
  });
});
