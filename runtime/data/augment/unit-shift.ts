// The per-sample moves of event data as maps from an input unit to its new unit (−1: it left the
// input). One map per sample, drawn once, so a sample's events move together — jitter of a whole
// digit on the sensor, a shift of a whole utterance across the cochlea's channels — not apart.

import { NMNIST_INPUTS, NMNIST_SIZE } from "../nmnist.ts";

export type UnitMap = (unit: number) => number;

/**
 * N-MNIST: move every event by (dx, dy) on the 34×34 sensor. Units are c·1156 + y·34 + x, with
 * c the polarity channel of a [2, 34, 34] input or always 0 when polarities are merged ([1156]);
 * the channel is kept, and an event moved off the sensor is dropped rather than wrapped to the
 * next row or into the other channel.
 */
export function sensorShift(dx: number, dy: number): UnitMap {
  return (unit) => {
    const c = Math.floor(unit / NMNIST_INPUTS);
    const r = unit - c * NMNIST_INPUTS;
    const row = Math.floor(r / NMNIST_SIZE);
    const x = r - row * NMNIST_SIZE + dx;
    const y = row + dy;
    if (x < 0 || x >= NMNIST_SIZE || y < 0 || y >= NMNIST_SIZE) return -1;
    return c * NMNIST_INPUTS + y * NMNIST_SIZE + x;
  };
}

/** SHD: move every event by s channels; one moved below 0 or to `channels` and above is dropped. */
export function channelShift(s: number, channels: number): UnitMap {
  return (unit) => {
    const u = unit + s;
    return u >= 0 && u < channels ? u : -1;
  };
}
