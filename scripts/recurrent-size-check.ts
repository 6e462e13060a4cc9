// A realistic-size recurrent layer on the CPU backend (models/shd-recurrent.json: 700 → 128
// recurrent CuBa → 20, T = 500): a few training steps at the spec's batch on random events at SHD's
// density in 2 ms bins, the hidden layer calibrated to realistic activity (~1% active, as `snnc bench` does),
// starting from a tiny active-set room so the overflow → grow → rerun path runs. Prints each step's
// time, loss, activity and regrows. Usage: npx tsx scripts/recurrent-size-check.ts [steps]

import { compileAndBuild, loadNetwork } from "../compiler/pipeline.ts";
import { applyCalibration, calibrateActivity } from "../runtime/bench/calibrate.ts";
import { randomSpikeBatch, sliceBatch } from "../runtime/bench/synthetic-batch.ts";
import { loadAddon } from "../runtime/model/native.ts";
import { SnnModel } from "../runtime/model/snn-model.ts";

const steps = Number(process.argv[2] ?? "4");
const net = loadNetwork("models/shd-recurrent.json");
const built = await compileAndBuild(net, "cpu", "models/shd-recurrent.json");
const addon = loadAddon(built.addonPath);
const B = net.training.batch;
// SHD: ~0.02 events per channel and 2 ms bin.
const batches = Array.from({ length: steps }, (_, k) => randomSpikeBatch(B, net.steps, net.input.size, net.classes, 0.02, 1 + k));
// Calibrated once on a model of its own (its forward passes grow that model's active sets, not the
// ones below), then applied to each trained model.
const probe = new SnnModel(net, addon, { batch: 16 });
const cal = calibrateActivity(probe, sliceBatch(batches[0], 16));
probe.dispose();
for (const mode of ["sparse", "dense"] as const) {
  const model = new SnnModel(net, addon, { batch: B, backward: mode, activeCapacity: 0.001 });
  applyCalibration(model, cal);
  for (let k = 0; k < steps; k++) {
    const t0 = performance.now();
    const s = model.trainStep(batches[k]);
    const ms = performance.now() - t0;
    const l = s.layers[0];
    console.log(
      `${mode} step ${k + 1}: ${ms.toFixed(0)} ms, loss ${s.loss.toFixed(4)}, l1 active ${(100 * l.activeFraction).toFixed(2)}%, ` +
        `spikes/neuron/step ${l.spikeRate.toFixed(4)}, active sets grown ${s.regrows}×, finite ${Number.isFinite(s.loss)}`,
    );
  }
  model.dispose();
}
