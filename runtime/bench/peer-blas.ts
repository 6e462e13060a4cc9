// What the bench says of the PyTorch peer's BLAS (bench/peers/torch_bptt.py reports the library its
// process mapped). Debian's python3-torch runs its matrix products on whichever libblas.so.3 the
// system's alternatives point to: the netlib reference implementation, unless an optimised one
// (OpenBLAS) is installed. Measured on this project's VM, 2026-12-07 (`snnc bench --preset paper`,
// 2 threads): the peer's F-MNIST step took 5 061 ms on the reference BLAS, 266 ms on OpenBLAS.

/** ", BLAS <path>" for the peer's heading, or "" when none was recorded. */
export function peerBlasText(blas: string | null | undefined): string {
  return blas ? `, BLAS ${blas}` : "";
}

/** A sentence when the peer's BLAS is the reference implementation (Debian's alternative in
 * …/blas/), against which a "× faster than PyTorch" says little; undefined otherwise. */
export function referenceBlasNote(blas: string | null | undefined): string | undefined {
  if (!blas || !/\/blas\/libblas\.so/.test(blas)) return undefined;
  return `note: the PyTorch peer's matrix products ran on the reference BLAS (${blas}), tens of times slower than an optimised one: install one (e.g. \`apt-get install libopenblas0\`) before comparing with PyTorch`;
}
