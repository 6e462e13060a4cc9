// SnnModel's checks that need no build: a stale addon and a failing device are user errors with
// one clear sentence (ModelError), never an internal error.

import { describe, expect, it } from "vitest";
import type { NativeAddon } from "../../runtime/model/native.ts";
import { ModelError, SnnModel } from "../../runtime/model/snn-model.ts";
import { networkOf } from "../support/build-model.ts";

const net = networkOf("models/tiny.json");

function fakeAddon(specHash: string, construct: () => never): NativeAddon {
  return {
    Model: function () {
      construct();
    } as unknown as NativeAddon["Model"],
    info: { name: "tiny", specHash, backend: "cuda", steps: net.steps, inputs: net.input.size, classes: net.classes },
  };
}

describe("SnnModel", () => {
  it("refuses an addon built from another spec", () => {
    const addon = fakeAddon("0123456789abcdef".repeat(4), () => {
      throw new Error("unreachable");
    });
    expect(() => new SnnModel(net, addon)).toThrow(ModelError);
    expect(() => new SnnModel(net, addon)).toThrow(
      `the compiled model was built from a different spec (hash 0123456789ab, expected ${net.specHash.slice(0, 12)}); recompile it`,
    );
  });

  it("turns the addon's device error into a ModelError with the same sentence", () => {
    const why = "no CUDA device is available (no devices found); use --backend cpu";
    const addon = fakeAddon(net.specHash, () => {
      throw new Error(why);
    });
    expect(() => new SnnModel(net, addon)).toThrow(ModelError);
    expect(() => new SnnModel(net, addon)).toThrow(why);
  });
});
