// Size limits every spec must respect; the generated kernels may rely on them (e.g. 32-bit index
// and byte arithmetic: all weights as float32 fit in 2^31 bytes). Change them here and only here:
// the schema's "maximum" values for sizes and steps mirror them (test/spec checks they agree).

/** Neurons in one layer (and in the input); also the largest `size`/`filters` value. */
export const MAX_LAYER_NEURONS = 65536;

/** All weights together, in float32, must fit in 2^31 bytes. */
export const MAX_TOTAL_WEIGHTS = 2 ** 31 / 4;

/** Time steps per sample. */
export const MAX_STEPS = 100000;
