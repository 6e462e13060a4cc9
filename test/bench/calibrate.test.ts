// The activity calibration on the shipped paper models: the weights it finds put every hidden
// layer's active fraction within CALIBRATION_BAND (×/÷ 1.5) of the target on a fresh batch the
// search never saw, at the target and at a second one. Small batches, forward passes only.

import { describe, expect, it } from "vitest";
import { applyCalibration, CALIBRATION_BAND, calibrateActivity, DEFAULT_TARGET } from "../../runtime/bench/calibrate.ts";
import { randomSpikeBatch, TYPICAL_DENSITY } from "../../runtime/bench/synthetic-batch.ts";
import { packBatch } from "../../runtime/data/spike-batch.ts";
import { openNetwork } from "../../runtime/model/open-model.ts";
import { loadNetworkData } from "../../runtime/train/data.ts";

const within = (x: number, target: number) => x >= target / CALIBRATION_BAND && x <= target * CALIBRATION_BAND;

describe("calibrateActivity", () => {
  for (const [model, targets] of [
    ["fmnist", [DEFAULT_TARGET]],
    ["nmnist", [DEFAULT_TARGET, { activeFraction: 0.03, spikeRate: 0.045 }]],
    ["shd", [DEFAULT_TARGET]],
  ] as const) {
    it(`${model}: every hidden layer lands within ×/÷${CALIBRATION_BAND} of the target active fraction`, async () => {
      const opened = await openNetwork(`models/${model}.json`, { backend: "cpu" });
      const net = opened.network;
      const B = 8;
      let cal: ReturnType<typeof calibrateActivity>;
      let fresh;
      if (net.input.dataset === "fashion-mnist") {
        const data = await loadNetworkData(net);
        const pick = (from: number) => packBatch(Array.from({ length: B }, (_, k) => data.test.get(from + k)), net.steps, net.input.size);
        for (const target of targets) {
          const m = opened.create({ batch: B });
          cal = calibrateActivity(m, pick(0), target);
          m.dispose();
          fresh = pick(100);
          check(cal, target.activeFraction);
        }
      } else {
        const density = TYPICAL_DENSITY[net.input.dataset];
        for (const target of targets) {
          const m = opened.create({ batch: B });
          cal = calibrateActivity(m, randomSpikeBatch(B, net.steps, net.input.size, net.classes, density, 1), target);
          m.dispose();
          fresh = randomSpikeBatch(B, net.steps, net.input.size, net.classes, density, 7);
          check(cal, target.activeFraction);
        }
      }
      function check(c: ReturnType<typeof calibrateActivity>, target: number) {
        expect(c.layers.map((l) => l.layer)).toEqual(["l1", "l2"]);
        for (const l of c.layers) expect(within(l.activeFraction, target), `${l.layer} ${l.activeFraction}`).toBe(true);
        // The same calibration applied to a new model (as the bench does), on samples it never saw.
        const m = opened.create({ batch: B });
        applyCalibration(m, c);
        const stats = m.forward(fresh!);
        m.dispose();
        for (const l of stats.layers) {
          expect(within(l.activeFraction, target), `${l.id} on fresh samples: ${l.activeFraction}`).toBe(true);
          expect(l.spikeRate).toBeGreaterThan(0);
        }
      }
    });
  }
});
