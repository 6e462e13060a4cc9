// The PyTorch peer: bench/peers/torch_bptt.py times a plain BPTT of the same network, batch,
// inputs and weights, when a python with torch is on this machine. Skipped with a reason otherwise.

import { feedforward } from "../../compiler/ir/layers.ts";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { Network } from "../../compiler/ir/types.ts";
import { PACKAGE_ROOT } from "../../compiler/util/package-root.ts";
import type { SpikeBatch } from "../data/spike-batch.ts";

export const PEER_SCRIPT = join(PACKAGE_ROOT, "bench", "peers", "torch_bptt.py");

export interface PeerTiming {
  peer: "torch_bptt";
  torch: string;
  device: string;
  threads: number;
  /** The BLAS library the peer's process mapped (its real path), null where none was found (a GPU
   *  run, or a torch with its own); absent in results from before it was recorded. */
  blas?: string | null;
  /** "torch.compile", or why eager mode was used. */
  mode: string;
  reps: number;
  forwardMs: number;
  backwardMs: number;
  stepMs: number;
}

export type PeerResult = PeerTiming | { skipped: string };

/** The first python (SNNC_PYTHON, python3, /usr/bin/python3) that imports torch, or a reason. */
export function findTorchPython(): { python: string } | { skipped: string } {
  const candidates = [process.env.SNNC_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p);
  for (const python of [...new Set(candidates)]) {
    const r = spawnSync(python, ["-c", "import torch"], { encoding: "utf8", timeout: 60_000 });
    if (r.status === 0) return { python };
  }
  return { skipped: `PyTorch peer skipped: no python with torch (tried ${[...new Set(candidates)].join(", ")}; apt-get install python3-torch)` };
}

/** Dense and readout layers only: the peer is a feed-forward fully connected network. */
export function peerUnsupported(net: Network): string | undefined {
  const odd = net.layers.find((l) => l.kind !== "dense" && l.kind !== "readout");
  if (odd) return `PyTorch peer skipped: it covers dense layers only (${net.name} has ${odd.kind})`;
  // The peer has neither recurrence nor a spiking readout: timing it without them would compare unlike networks.
  const rec = net.layers.find((l) => (l.kind === "dense" || l.kind === "readout") && l.weights.some((w) => w.role === "recurrent"));
  if (rec) return `PyTorch peer skipped: it has no recurrent layers (${net.name}'s ${rec.id} is recurrent)`;
  const ro = net.layers[net.layers.length - 1];
  if (ro.kind === "readout" && ro.neuron) return `PyTorch peer skipped: it has no spiking readout (${net.name}'s ${ro.id} spikes)`;
  // The peer script models the paper's LIF: no bias, leak, subtractive reset, no synaptic current.
  const extra = net.layers.find(
    (l) => ("weights" in l && l.weights.some((w) => w.role === "bias")) || (l.kind === "dense" && (l.neuron.model !== "lif" || !l.neuron.leak || l.neuron.reset !== "subtract")) || (l.kind === "readout" && l.synapse),
  );
  return extra ? `PyTorch peer skipped: it covers the paper's LIF only (${net.name} layer ${extra.id} has a bias, no leak, a reset other than subtract or CuBa synapses)` : undefined;
}

export function runTorchPeer(
  net: Network,
  batch: SpikeBatch,
  weights: Map<string, Float32Array>,
  opts: { reps: number; warmup: number; timeoutS?: number; python?: string },
): PeerResult {
  const unsupported = peerUnsupported(net);
  if (unsupported) return { skipped: unsupported };
  const found = opts.python ? { python: opts.python } : findTorchPython();
  if ("skipped" in found) return found;
  const dir = mkdtempSync(join(tmpdir(), "snnc-peer-"));
  try {
    const file = (name: string, data: ArrayBufferView) => {
      const path = join(dir, name);
      writeFileSync(path, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return path;
    };
    const layers = net.layers.flatMap((l): Record<string, unknown>[] => {
      if (l.kind === "dense")
        return [{ kind: "dense", size: l.nOut, alpha: l.neuron.alpha, v_rest: l.neuron.vRest, reset: l.neuron.resetAmount, v_th: l.neuron.vTh, beta: l.neuron.beta, weights: file(`${feedforward(l).name}.f32`, weights.get(feedforward(l).name)!) }];
      if (l.kind === "readout")
        return [{ kind: "readout", size: l.nOut, alpha: l.alpha, v_rest: l.vRest, input_scale: l.inputScale, logits: l.logits, weights: file(`${feedforward(l).name}.f32`, weights.get(feedforward(l).name)!) }];
      return [];
    });
    const cfg = {
      batch: batch.batch,
      steps: batch.steps,
      inputs: batch.inputs,
      offsets: file("offsets.u32", batch.offsets),
      indices: file("indices.u32", batch.indices),
      labels: file("labels.i32", batch.labels),
      layers,
      loss: { low: net.loss.activityLow, up: net.loss.activityUp },
      lr: net.training.adam.lr,
      betas: [net.training.adam.beta1, net.training.adam.beta2],
      eps: net.training.adam.eps,
      reps: opts.reps,
      warmup: opts.warmup,
      // As many threads as the snnc addon's OpenMP uses (OMP_NUM_THREADS, else every core).
      threads: Number(process.env.OMP_NUM_THREADS) || cpus().length,
    };
    const cfgPath = join(dir, "config.json");
    writeFileSync(cfgPath, JSON.stringify(cfg));
    const r = spawnSync(found.python, [PEER_SCRIPT, cfgPath], { encoding: "utf8", timeout: (opts.timeoutS ?? 1800) * 1000, maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      const why = r.error ? r.error.message : (r.stderr || "").trim().split("\n").at(-1);
      return { skipped: `PyTorch peer failed: ${why}` };
    }
    return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as PeerTiming;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
