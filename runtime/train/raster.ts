// A spike raster of one test sample: its input spikes and every hidden layer's spikes, from one
// forward pass of the current model. Training records it into the run directory (raster.json) after
// each epoch, so `snnc report` can draw it later without the model.

import type { SpikingLayer } from "../../compiler/ir/types.ts";
import { spikingLayers } from "../../compiler/ir/layers.ts";
import { packBatch, type SpikeDataset } from "../data/spike-batch.ts";
import type { SnnModel } from "../model/snn-model.ts";

export interface RasterLayer {
  /** "input" or the hidden layer's id (l1, l2, …). */
  id: string;
  /** Neurons in the layer. */
  size: number;
  /** Parallel arrays: spike k is neuron units[k] at step times[k]. */
  times: number[];
  units: number[];
}

export interface Raster {
  /** Index of the sample in the test split. */
  sample: number;
  label: number;
  predicted: number;
  steps: number;
  /** Completed epochs of the model that produced it. */
  epoch: number;
  layers: RasterLayer[];
}

export function recordRaster(model: SnnModel, test: SpikeDataset, index: number, epoch: number): Raster {
  const net = model.network;
  const sample = test.get(index);
  model.forward(packBatch([sample], test.steps, test.inputs));
  const logits = model.logits();
  let predicted = 0;
  for (let c = 1; c < net.classes; c++) if (logits[c] > logits[predicted]) predicted = c;
  const layers: RasterLayer[] = [{ id: "input", size: test.inputs, times: Array.from(sample.times), units: Array.from(sample.units) }];
  for (const l of spikingLayers(net)) {
    const s = model.spikes(l.id);
    const times: number[] = [];
    const units: number[] = [];
    for (let t = 0; t < net.steps; t++)
      for (let j = 0; j < l.nOut; j++)
        if (s[t * l.nOut + j]) {
          times.push(t);
          units.push(j);
        }
    layers.push({ id: l.id, size: l.nOut, times, units });
  }
  return { sample: index, label: sample.label, predicted, steps: net.steps, epoch, layers };
}
