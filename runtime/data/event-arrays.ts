// Where the event arrays of a SpikeSample live. A typed array of its own costs a few microseconds
// to allocate (its backing store is allocated outside V8's heap and tracked for the GC): more than
// latency-encoding the 784 pixels of an image (~3 µs), and an epoch of Fashion-MNIST makes 70 000
// samples, each dropped once packed into a batch. So the arrays are views into a shared slab,
// allocated once per few hundred samples; a slab stays alive while any sample made from it does.
// The views behave as arrays of their own (length, indexing, set, slice) except that their
// `.buffer` is the slab's: never transfer or reinterpret it.

const SLAB_INTS = 1 << 18; // 1 MiB; a sample larger than a quarter of it gets arrays of its own

let slab = new Int32Array(SLAB_INTS);
let used = 0;

/** Two zero-filled Int32Arrays of `n` elements each (times and units), without an allocation of
 *  their own for small n. */
export function eventArrays(n: number): { times: Int32Array; units: Int32Array } {
  const need = 2 * n;
  if (need > SLAB_INTS / 4) return { times: new Int32Array(n), units: new Int32Array(n) };
  if (used + need > SLAB_INTS) {
    slab = new Int32Array(SLAB_INTS);
    used = 0;
  }
  const times = slab.subarray(used, used + n);
  const units = slab.subarray(used + n, used + need);
  used += need;
  return { times, units };
}
