// What the bench says of the PyTorch peer's BLAS (runtime/bench/peer-blas.ts).

import { describe, expect, it } from "vitest";
import { peerBlasText, referenceBlasNote } from "../../runtime/bench/peer-blas.ts";

describe("the PyTorch peer's BLAS", () => {
  it("names the library in the peer's heading, and nothing where none was recorded", () => {
    expect(peerBlasText("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3")).toBe(", BLAS /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3");
    expect(peerBlasText(null)).toBe("");
    expect(peerBlasText(undefined)).toBe("");
  });

  it("warns of Debian's reference BLAS only", () => {
    expect(referenceBlasNote("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3")).toBe(
      "note: the PyTorch peer's matrix products ran on the reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3), tens of times slower than an optimised one: install one (e.g. `apt-get install libopenblas0`) before comparing with PyTorch",
    );
    for (const other of ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/opt/intel/mkl/lib/libmkl_rt.so", null, undefined])
      expect(referenceBlasNote(other)).toBeUndefined();
  });
});
