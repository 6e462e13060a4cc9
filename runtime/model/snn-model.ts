// SnnModel: a compiled network on one backend. It owns the weights and the optimiser state (in
// the addon's buffers), takes sparse input batches, and exposes forward / backward / step with
// shape-checked, typed access to every tensor.

import type { SpikingLayer, Network, WeightTensor } from "../../compiler/ir/types.ts";
import { isSpiking, spikingLayers, weightTensors } from "../../compiler/ir/layers.ts";
import { activeEntries } from "../../compiler/layers/lif-stage.ts";
import { isCheckedBatch, type SpikeBatch } from "../data/spike-batch.ts";
import type { NativeAddon, NativeModel } from "./native.ts";
import { decodeStats, type StepStats } from "./step-stats.ts";
import { initialWeights } from "./weight-init.ts";

export interface ModelOptions {
  /** Largest batch this model will take (buffers are sized for it). Default: the spec's batch. */
  batch?: number;
  /** Backward path. Default: the spec's `training.backward`. */
  backward?: "sparse" | "dense";
  /** Keep every membrane V of every hidden layer (for inspection and tests). */
  recordV?: boolean;
  /** Initial active-set room as a fraction of T·N per sample. Default: the spec's. */
  activeCapacity?: number;
  /** Seed of the initial weights. Default: the spec's `training.seed`. */
  seed?: number;
}

export class ModelError extends Error {
  override readonly name = "ModelError";
}

export class SnnModel {
  readonly backend: "cpu" | "cuda";
  readonly batchCapacity: number;
  readonly backward: "sparse" | "dense";
  /** Adam steps taken (the bias correction uses it). */
  adamSteps = 0;
  /** AdamW's decoupled weight decay λ (0: plain Adam). Default: the spec's; a run may override it. */
  weightDecay: number;
  private native: NativeModel | null;
  private loaded = 0;
  /** The batch the addon already holds because the last trainStep was handed it early. */
  private staged: SpikeBatch | null = null;
  private lastStats: StepStats | null = null;
  /** Whether trainStep's `next` batch uploads while the step runs (a CUDA build with overlapUpload). */
  readonly overlapsUpload: boolean;
  /** Whether a training step runs as one CUDA graph (a CUDA build with stepGraph). */
  readonly stepGraph: boolean;
  private readonly tensors: WeightTensor[];

  constructor(
    readonly network: Network,
    addon: NativeAddon,
    opts: ModelOptions = {},
  ) {
    if (addon.info.specHash !== network.specHash)
      throw new ModelError(
        `the compiled model was built from a different spec (hash ${addon.info.specHash.slice(0, 12)}, expected ${network.specHash.slice(0, 12)}); recompile it`,
      );
    this.backend = addon.info.backend;
    this.overlapsUpload = addon.info.overlapUpload === true;
    this.stepGraph = addon.info.stepGraph === true;
    this.batchCapacity = opts.batch ?? network.training.batch;
    this.backward = opts.backward ?? network.training.backward;
    this.weightDecay = network.training.weightDecay;
    this.tensors = weightTensors(network);
    const room = opts.activeCapacity ?? network.training.activeCapacity;
    try {
      this.native = new addon.Model({
        batch: this.batchCapacity,
        backward: this.backward,
        recordV: opts.recordV ?? false,
        activeEntries: spikingLayers(network).map((l) => activeEntries(room, network.steps, l.nOut)),
      });
    } catch (e) {
      // No device, no driver, or not enough memory for the plan: the addon says which in one sentence.
      throw new ModelError((e as Error).message);
    }
    for (const [name, w] of initialWeights(network, opts.seed ?? network.training.seed)) this.setWeights(name, w);
  }

  private get n(): NativeModel {
    if (!this.native) throw new ModelError("this model was disposed");
    return this.native;
  }

  /** Names of the weight tensors in layer order (`w1`, `w2`, …). */
  get weightNames(): string[] {
    return this.tensors.map((w) => w.name);
  }

  /** The weight tensors with their shapes, in layer order. */
  get weightTensors(): readonly WeightTensor[] {
    return this.tensors;
  }

  private weightSize(name: string): number {
    const tensor = this.tensors.find((w) => w.name === name);
    if (!tensor) throw new ModelError(`no weight tensor "${name}" (this model has ${this.weightNames.join(", ")})`);
    return tensor.size;
  }

  private hidden(id: string): SpikingLayer {
    const layer = this.network.layers.find((l) => l.id === id);
    if (!layer || !isSpiking(layer))
      throw new ModelError(`no hidden layer "${id}" (hidden layers: ${spikingLayers(this.network).map((l) => l.id).join(", ")})`);
    return layer;
  }

  private setSized(name: string, data: Float32Array, size: number, what: string): void {
    if (!(data instanceof Float32Array) || data.length !== size)
      throw new ModelError(`${what} ${name} takes a Float32Array of ${size} values, got ${data?.length ?? "nothing"}`);
    this.n.setTensor(name, data);
  }

  setWeights(name: string, w: Float32Array): void {
    this.setSized(name, w, this.weightSize(name), "weight tensor");
  }

  getWeights(name: string): Float32Array {
    this.weightSize(name);
    return new Float32Array(this.n.getTensor(name));
  }

  /** ∂L/∂W of the last backward(). */
  getGradients(name: string): Float32Array {
    this.weightSize(name);
    return new Float32Array(this.n.getTensor(`grad_${name}`));
  }

  getAdamState(name: string): { m: Float32Array; v: Float32Array } {
    this.weightSize(name);
    return { m: new Float32Array(this.n.getTensor(`adam_m_${name}`)), v: new Float32Array(this.n.getTensor(`adam_v_${name}`)) };
  }

  setAdamState(name: string, m: Float32Array, v: Float32Array): void {
    const size = this.weightSize(name);
    this.setSized(`adam_m_${name}`, m, size, "Adam moment");
    this.setSized(`adam_v_${name}`, v, size, "Adam moment");
  }

  private checkShape(batch: SpikeBatch): void {
    const net = this.network;
    if (batch.steps !== net.steps || batch.inputs !== net.input.size)
      throw new ModelError(
        `batch has ${batch.steps} steps × ${batch.inputs} inputs; ${net.name} takes ${net.steps} steps × ${net.input.size} inputs`,
      );
    if (batch.batch > this.batchCapacity)
      throw new ModelError(`batch of ${batch.batch} samples exceeds this model's capacity of ${this.batchCapacity}`);
  }

  private load(batch: SpikeBatch): void {
    const staged = this.staged;
    this.staged = null;
    if (batch !== staged) {
      this.checkShape(batch);
      this.n.loadBatch(batch.offsets, batch.indices, batch.labels, isCheckedBatch(batch));
    }
    this.loaded = batch.batch;
  }

  /** Loads so far whose every event index the addon checked (batches not from packBatch). */
  indexChecks(): number {
    return this.n.indexChecks();
  }

  /** Step graphs this model captured so far; null without stepGraph. */
  graphCaptures(): number | null {
    return this.n.graphCaptures?.() ?? null;
  }

  /** Forward pass and loss of a batch; the state stays for backward(). */
  forward(batch: SpikeBatch): StepStats {
    this.lastStats = this.decode(this.forwardRaw(batch), batch.batch);
    return this.lastStats;
  }

  /** forward(), returning the stats buffer as the addon wrote it (sums over the batch, the plan's
   *  stats layout): data-parallel ranks add these up before decoding them. */
  forwardRaw(batch: SpikeBatch): Float64Array {
    this.load(batch);
    return this.n.forward();
  }

  /** A stats buffer (forwardRaw's, or several summed) as the stats of `samples` samples. */
  decode(raw: Float64Array, samples: number): StepStats {
    return decodeStats(this.network, raw, samples);
  }

  /** The stats buffer as it is now (after step(): with the gradient norm² clipping computed). */
  rawStats(): Float64Array {
    return new Float64Array(this.n.getTensor("stats"));
  }

  /** The loss (and so every gradient) averages over `samples` samples instead of the loaded batch;
   *  0 restores the loaded batch. A data-parallel rank passes the global batch, so the ranks'
   *  gradients add up to the global batch's. */
  setLossBatch(samples: number): void {
    if (!Number.isSafeInteger(samples) || samples < 0) throw new ModelError(`setLossBatch takes a sample count ≥ 0, got ${samples}`);
    this.n.setLossBatch(samples);
  }

  /** Where every weight gradient lies, one tensor after another (each from a 256-byte boundary),
   *  for a reduce in place: host memory on the CPU backend, device memory on CUDA. */
  gradientArena(): { address: bigint; floats: number; device: boolean } {
    return this.n.gradientArena();
  }

  /** The gradient arena into `host` (gradientArena().floats values), one copy. */
  readGradients(host: Float32Array): void {
    this.n.readGradients(host);
  }

  /** The gradient arena from `host`, one copy. */
  writeGradients(host: Float32Array): void {
    this.n.writeGradients(host);
  }

  /** Every gradient 0 (a data-parallel rank with no sample in a batch still takes the step). */
  zeroGradients(): void {
    this.n.zeroGradients();
  }

  /** Gradients of the batch of the last forward(), into getGradients(). */
  backwardPass(): void {
    if (!this.loaded) throw new ModelError("backward() needs a forward() first");
    this.n.backward();
  }

  /** One Adam (AdamW) update from the current gradients (learning rate: the spec's unless given). */
  step(lr = this.network.training.adam.lr): void {
    const { stepSize, epsHat, decay } = this.adamFactors(lr);
    this.n.adamStep(stepSize, epsHat, decay);
  }

  /**
   * Forward, loss, backward and Adam as one launch sequence; returns the batch's stats. `next`: the
   * batch the following call will take. A model that overlaps uploads (overlapsUpload) sends it to
   * the device while this step runs, and the following trainStep(next) or forward(next) finds it
   * there; any other model ignores it. Its arrays must not change until then.
   */
  trainStep(batch: SpikeBatch, lr = this.network.training.adam.lr, next?: SpikeBatch): StepStats {
    this.load(batch);
    const { stepSize, epsHat, decay } = this.adamFactors(lr);
    let raw: Float64Array;
    if (next && this.overlapsUpload) {
      this.checkShape(next);
      raw = this.n.trainStep(stepSize, epsHat, decay, next.offsets, next.indices, next.labels, isCheckedBatch(next));
      this.staged = next;
    } else raw = this.n.trainStep(stepSize, epsHat, decay);
    this.lastStats = decodeStats(this.network, raw, batch.batch);
    return this.lastStats;
  }

  /** Adam's bias corrections folded into the step size and ε, and AdamW's decay factor:
   *  w ← w·(1 − lr·λ) − a·m / (√v + ε̂). */
  private adamFactors(lr: number): { stepSize: number; epsHat: number; decay: number } {
    const { beta1, beta2, eps } = this.network.training.adam;
    const t = ++this.adamSteps;
    const c2 = Math.sqrt(1 - beta2 ** t);
    return { stepSize: (lr * c2) / (1 - beta1 ** t), epsHat: eps * c2, decay: 1 - lr * this.weightDecay };
  }

  /** Stats of the last forward() or trainStep(). */
  get stats(): StepStats | null {
    return this.lastStats;
  }

  /** Logits of the last forward, [batch × classes]. */
  logits(): Float32Array {
    return new Float32Array(this.n.getTensor("logits")).subarray(0, this.loaded * this.network.classes);
  }

  /** Spikes of a hidden layer for the loaded batch, decoded to [batch × T × N] of 0/1. */
  spikes(layerId: string): Uint8Array {
    const layer = this.hidden(layerId);
    const T = this.network.steps;
    const N = layer.nOut;
    const words = Math.ceil(N / 32);
    const bits = new Uint32Array(this.n.getTensor(`spikes_${layerId}`));
    const out = new Uint8Array(this.loaded * T * N);
    for (let row = 0; row < this.loaded * T; row++)
      for (let j = 0; j < N; j++) out[row * N + j] = (bits[row * words + (j >> 5)] >>> (j & 31)) & 1;
    return out;
  }

  /** Membranes of a hidden layer, [batch × T × N]; needs recordV or the dense backward. */
  membranes(layerId: string): Float32Array {
    const layer = this.hidden(layerId);
    return new Float32Array(this.n.getTensor(`vtrace_${layerId}`)).subarray(0, this.loaded * this.network.steps * layer.nOut);
  }

  /** Bytes of device (or host) memory this model holds now: its buffers and its scratch. */
  bufferBytes(): number {
    return this.n.bufferBytes();
  }

  /** Per-kernel timing of the following steps (for `snnc bench`); kernelTimes() reads it. */
  profile(on: boolean): void {
    this.n.profile(on);
  }

  /** [kernel, milliseconds] for every kernel of the last forward()/trainStep() and what followed it. */
  kernelTimes(): [string, number][] {
    return this.n.kernelTimes();
  }

  dispose(): void {
    this.native?.dispose();
    this.native = null;
  }
}
