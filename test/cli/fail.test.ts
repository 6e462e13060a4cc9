// What the user sees for each kind of error, and the exit code (runtime/cli/fail.ts).

import { describe, expect, it } from "vitest";
import { BuildError } from "../../compiler/build/build-addon.ts";
import { IrError } from "../../compiler/ir/verify.ts";
import { PlanError } from "../../compiler/plan/build-plan.ts";
import { SpecError } from "../../compiler/spec/index.ts";
import { AddonLoadError } from "../../runtime/model/native.ts";
import { ModelError } from "../../runtime/model/snn-model.ts";
import { CliError, describeError, SilentExit, UsageError } from "../../runtime/cli/fail.ts";

describe("describeError", () => {
  it("prints every spec problem on its own line, exit 2", async () => {
    const err = new SpecError([
      { file: "a.json", pointer: "/time/steps", message: "must be >= 2, got 1" },
      { file: "a.json", pointer: "/layers/0/sise", message: 'unknown field "sise"', hint: 'did you mean "size"?' },
    ]);
    expect(await describeError(err)).toEqual({
      exitCode: 2,
      lines: ["a.json: /time/steps: must be >= 2, got 1", 'a.json: /layers/0/sise: unknown field "sise" (did you mean "size"?)'],
    });
  });

  it("prints a BuildError's message (the compiler's errors), exit 1", async () => {
    const msg = "build failed:\nkernels.cpp:12:9: error: expected primary-expression";
    expect(await describeError(new BuildError(msg, "full log"))).toEqual({ exitCode: 1, lines: [msg] });
  });

  it.each([
    ["PlanError", new PlanError("/layers/0: conv layers …")],
    ["AddonLoadError", new AddonLoadError("cannot load the compiled model x.node: …")],
    ["ModelError", new ModelError("weights w1 takes a Float32Array of 96 values, got 95")],
    ["CliError", new CliError("the cuda backend is not available")],
  ])("prints a %s as one line, exit 1", async (_name, err) => {
    expect(await describeError(err)).toEqual({ exitCode: 1, lines: [err.message] });
  });

  it("recognises a DataError by name and any error marked userFacing, with its own exit code", async () => {
    class DataError extends Error {
      override readonly name = "DataError";
    }
    expect(await describeError(new DataError("data/x.gz: byte 16: truncated"))).toEqual({ exitCode: 1, lines: ["data/x.gz: byte 16: truncated"] });
    const custom = Object.assign(new Error("checkpoint runs/a.ckpt is for another spec"), { userFacing: true, exitCode: 3 });
    expect(await describeError(custom)).toEqual({ exitCode: 3, lines: ["checkpoint runs/a.ckpt is for another spec"] });
  });

  it("exits 2 for a UsageError and silently for a SilentExit", async () => {
    expect(await describeError(new UsageError('unknown kernel "x"'))).toEqual({ exitCode: 2, lines: ['unknown kernel "x"'] });
    expect(await describeError(new SilentExit(2))).toEqual({ exitCode: 2, lines: [] });
  });

  it("calls anything else an internal error, exit 70, with the stack only under SNNC_DEBUG=1", async () => {
    const err = new TypeError("cannot read properties of undefined");
    const quiet = await describeError(err, false);
    expect(quiet.exitCode).toBe(70);
    expect(quiet.lines[0]).toBe("internal error: cannot read properties of undefined");
    expect(quiet.lines.join("\n")).not.toContain("    at ");
    const loud = await describeError(err, true);
    expect(loud.lines[0]).toBe("internal error: cannot read properties of undefined");
    expect(loud.lines[1]).toContain("    at ");
  });

  it("does not say internal error twice for the IR verifier's errors", async () => {
    const r = await describeError(new IrError('internal error: IR of "x" is invalid: no layers'), false);
    expect(r.lines[0]).toBe('internal error: IR of "x" is invalid: no layers');
  });

  it("handles thrown non-errors", async () => {
    expect((await describeError("boom", false)).lines[0]).toBe("internal error: boom");
  });
});
