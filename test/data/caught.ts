// The DataError a call throws (the test fails if it throws anything else, or nothing).

import { expect } from "vitest";
import { DataError } from "../../runtime/data/data-error.ts";

export function caught(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error("expected a DataError");
}
