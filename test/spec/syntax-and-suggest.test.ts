// The pieces behind two kinds of message: where a JSON syntax error is, and which key was meant.

import { describe, expect, it } from "vitest";
import { findSyntaxError, lineColumn } from "../../compiler/spec/json-syntax.ts";
import { closestKey, editDistance } from "../../compiler/spec/suggest.ts";

describe("JSON syntax errors", () => {
  it("agrees with JSON.parse on what is valid", () => {
    const samples = ['{"a": [1, -2.5e3, true, null, "x\\u00e9\\n"]}', "[]", "0", '"s"', "{}", " [ {} ] "];
    for (const s of samples) {
      expect(() => JSON.parse(s)).not.toThrow();
      expect(findSyntaxError(s)).toBeUndefined();
    }
    const bad = ["{", "[1,]", "{'a': 1}", "01", "1.", '"a', '"\\x"', "[1] 2", "tru", '{"a" 1}', "-", '"\t"'];
    for (const s of bad) {
      expect(() => JSON.parse(s)).toThrow();
      expect(findSyntaxError(s)).toBeDefined();
    }
  });

  it("describes common mistakes", () => {
    expect(findSyntaxError("{'a': 1}")).toEqual({ offset: 1, message: `expected a property name in double quotes, got "'"`, hint: "JSON strings use double quotes" });
    expect(findSyntaxError("[1,]")).toEqual({ offset: 3, message: `expected a value, got "]"`, hint: "JSON does not allow trailing commas" });
    expect(findSyntaxError("[1] 2")).toEqual({ offset: 4, message: `unexpected "2" after the end of the JSON value` });
    expect(findSyntaxError("[01]")?.message).toBe("invalid number");
  });

  it("counts lines across \\n, \\r\\n and \\r", () => {
    const text = "a\r\nb\nc\rd";
    expect(lineColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn(text, 5)).toEqual({ line: 3, column: 1 });
    expect(lineColumn(text, 7)).toEqual({ line: 4, column: 1 });
  });
});

describe("did you mean", () => {
  const neuron = ["tau_ms", "v_th", "v_reset", "v_rest", "b_th", "surrogate_beta"];

  it("finds near misses", () => {
    expect(closestKey("tau", neuron)).toBe("tau_ms");
    expect(closestKey("tauMs", neuron)).toBe("tau_ms");
    expect(closestKey("V_TH", neuron)).toBe("v_th");
    expect(closestKey("v_rset", neuron)).toBe("v_reset");
    expect(closestKey("surogate_beta", neuron)).toBe("surrogate_beta");
    expect(closestKey("stpes", ["steps", "dt_ms"])).toBe("steps");
  });

  it("stays quiet when nothing is close", () => {
    expect(closestKey("threshold", neuron)).toBeUndefined();
    expect(closestKey("x", neuron)).toBeUndefined();
  });

  it("counts a transposition as one edit", () => {
    expect(editDistance("stpes", "steps")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });
});
