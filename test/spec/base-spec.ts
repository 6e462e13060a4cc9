// A small valid spec for tests to copy and break one thing at a time. Typed loosely on purpose:
// the bad specs are exactly the ones NetworkSpec would not admit.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function baseSpec(): Json {
  return {
    name: "base",
    time: { steps: 10, dt_ms: 1 },
    input: { shape: [4], encoding: { kind: "events", bin_ms: 1 } },
    layers: [
      { kind: "dense", size: 3 },
      { kind: "readout", size: 2 },
    ],
    training: { batch: 2, epochs: 1, optimizer: { kind: "adam", lr: 0.01 } },
  };
}

/** The base spec with a latency encoding, for encoder cases. */
export function latencySpec(): Json {
  const s = baseSpec();
  s.input.encoding = { kind: "latency", tau_eff_ms: 20, theta: 0.2 };
  return s;
}

/** A spatial input [C, H, W] for conv/pool cases. */
export function spatialSpec(shape: number[], layers: Json[]): Json {
  const s = baseSpec();
  s.input.shape = shape;
  s.layers = layers;
  return s;
}
