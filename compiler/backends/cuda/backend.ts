// The CUDA backend: kernels.cu plus the shared header and Node-API glue, built by nvcc with
// static cudart. It generates every layer kind: dense LIF stages and the readout at most
// MAX_LAYER_SIZE neurons each (a layer's state lives in registers), conv LIF stages (state in a
// device scratch, conv-launch.ts), max-pool and sum-pool (no kernel: the stage above reads the
// spikes below through the window map, templates/cuda/partials/pooled-input.hbs).

import type { Backend } from "../backend.ts";
import type { KernelContext, RenderContext, StageContext } from "../context/types.ts";

/** What kernels.cu adds to the neutral context: the conv stages that share the device scratch. */
interface CudaRenderContext extends RenderContext {
  convStages: { id: string }[];
}
import { convLaunchOf, poolLaunchOf } from "./conv-launch.ts";
import { launchOf, MAX_LAYER_SIZE } from "./launch.ts";

/** The most bytes of currents a time-parallel stage holds per sample in device memory: 8 MiB, i.e.
 * 2 GiB at batch 256 (every shipped dense layer needs far less: SHD's 499 steps × 200 neurons is
 * 390 KiB). */
export const CUDA_MAX_CURRENTS_BYTES = 8 << 20;

/** nvcc flags of the CUDA kernels, shared by the emitted CMakeLists.txt and the CI compile check.
 * --fmad=false: plain IEEE multiply and add, like the CPU backend (-ffp-contract=off), so both
 * backends cross the threshold at the same neuron-times. */
export const NVCC_FLAGS = ["-O3", "--fmad=false"];

export const cuda: Backend = {
  name: "cuda",
  kernelExt: "cu",
  flags: NVCC_FLAGS.join(" "),
  templates: [
    ["shared/network.h.hbs", "network.h"],
    ["shared/addon.cpp.hbs", "addon.cpp"],
    ["cuda/kernels.cu.hbs", "kernels.cu"],
    ["cuda/CMakeLists.txt.hbs", "CMakeLists.txt"],
  ],
  // Time-parallel currents are generated (kernels/forward-lif-currents.hbs, then the scan of
  // kernels/forward-lif-time-parallel.hbs) but stay off until they have passed the GPU check
  // (`--time-parallel` turns them on). Their currents live in device memory, one (T−1)×N slice per
  // sample, so the CPU's cache-sized limit does not apply: CUDA_MAX_CURRENTS_BYTES does.
  planDefaults: { timeParallel: "off", maxCurrentsBytes: CUDA_MAX_CURRENTS_BYTES },
  unsupported(plan) {
    for (const s of plan.stages) {
      // Conv and max-pool sweep their neurons in chunks: any size the spec allows.
      if (s.kind === "maxpool" || (s.kind === "lif" && s.connectivity === "conv")) continue;
      if (s.layer.nOut > MAX_LAYER_SIZE)
        return `/layers/${s.layer.index}: ${s.layer.nOut} neurons exceed the CUDA backend's limit of ${MAX_LAYER_SIZE} per layer (a layer's state lives in registers); use --backend cpu`;
    }
    return undefined;
  },
  context(base: RenderContext): RenderContext {
    const T = base.steps;
    const neurons = new Map(base.stages.map((s) => [s.id, s.nOut]));
    const extend = <S extends StageContext>(s: S): S =>
      s.kind === "maxpool"
        ? { ...s, ...poolLaunchOf(s) }
        : s.kind === "lif" && s.isConv
          ? { ...s, ...convLaunchOf(T, s, s.inputEvents ? 0 : neurons.get(s.from)!) }
          : { ...s, ...launchOf(T, s, s.inputEvents ? 0 : neurons.get(s.from)!) };
    const stages = base.stages.map(extend);
    const byId = new Map(stages.map((s) => [s.id, s]));
    // A conv stage's LIF kernels have their own templates (`<kind>-conv`): chunked sweeps over a
    // state in device memory instead of registers.
    const kernel = (k: KernelContext): KernelContext => {
      if (!("id" in k && k.id)) return k;
      const stage = byId.get(k.id)!;
      const conv = stage.kind === "lif" && stage.isConv;
      // A time-parallel stage's forward_lif is the scan over the currents its currents kernel wrote.
      const scan = stage.kind === "lif" && stage.timeParallel && k.kernelKind === "forward_lif";
      return { ...k, ...stage, ...(conv ? { partial: `${k.partial}-conv` } : scan ? { partial: `${k.partial}-time-parallel` } : {}) };
    };
    const kernels = base.kernels.map(kernel);
    const byName = new Map(kernels.map((k) => [k.kernel, k]));
    const relaunch = (ks: KernelContext[]) => ks.map((k) => byName.get(k.kernel)!);
    const convStages = stages.flatMap((s) => (s.kind === "lif" && s.isConv ? [{ id: s.id, hasBias: s.hasBias }] : []));
    const context: CudaRenderContext = {
      ...base,
      convStages,
      stages,
      lifStages: base.lifStages.map(extend),
      pools: base.pools.map(extend),
      readout: base.readout && extend(base.readout),
      kernels,
      launches: {
        forward: relaunch(base.launches.forward),
        backwardSparse: relaunch(base.launches.backwardSparse),
        backwardDense: relaunch(base.launches.backwardDense),
        adam: relaunch(base.launches.adam),
      },
    };
    return context;
  },
};
