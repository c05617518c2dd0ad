/**
 * Shared machinery of the tfjs sequence models (Fischer & Krauss 2018, "Deep learning with long
 * short-term memory networks for financial market predictions", EJOR 270(2)): inputs are the last
 * `sequenceLength` daily returns of one asset, standardised by the mean and std of all returns in
 * the training window; the label is 1 when the asset's next-day return beats the cross-sectional
 * median; the network outputs that probability, which is the score.
 *
 * CPU budget: training samples (date, asset) are drawn at random (seeded) so that one fit costs
 * about `trainingBudget` floating-point operations (forward + backward, all epochs), between 64 and
 * 8,192 samples; `maxTrainSamples` overrides it.
 */
import { asPanelView, type DateLike, opt, type Panel, type PanelView, reportProgress } from "../data/index.js";
import type { AlphaModel, FitOptions } from "./alpha-model.js";
import { createRng } from "../stats/index.js";
import { loadTensorflow, type TF } from "./tf-backend.js";
import { type InferencePlan, planInference } from "./tf-inference.js";

/** @internal (tfjs types stay out of the published declarations) */
type LayersModel = import("@tensorflow/tfjs").LayersModel;

/** Options common to {@link LSTMModel} and {@link TransformerModel}. */
export interface SequenceModelOptions {
  /** Days of returns per input sequence (default 60; Fischer & Krauss use 240). */
  sequenceLength?: number;
  /** Width of the hidden state / model dimension (default 16). */
  hiddenDim?: number;
  /** Stacked recurrent or transformer layers (default 1). */
  layers?: number;
  /** Dropout rate in [0, 1) (default 0). */
  dropout?: number;
  /** Adam learning rate (default 0.001). */
  learningRate?: number;
  /** Mini-batch size (default 256). */
  batchSize?: number;
  /** Passes over the training samples (default 3). */
  epochs?: number;
  /** Seed of the initialisers, dropout masks and the sample draw (default 0). */
  seed?: number;
  /** Training samples drawn; default from `trainingBudget`. */
  maxTrainSamples?: number;
  /** Approximate FLOPs one fit may spend (default 2e10, seconds on this CPU). */
  trainingBudget?: number;
}

/** The keys of {@link SequenceModelOptions}, for the models' option checks. */
export const SEQUENCE_KEYS = opt.optionKeys<SequenceModelOptions>()(["sequenceLength", "hiddenDim", "layers", "dropout", "learningRate", "batchSize", "epochs", "seed", "maxTrainSamples", "trainingBudget"]);

export interface ResolvedSequenceOptions {
  readonly sequenceLength: number;
  readonly hiddenDim: number;
  readonly layers: number;
  readonly dropout: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
  readonly maxTrainSamples: number | null;
  readonly trainingBudget: number;
}

export function resolveSequenceOptions(where: string, o: SequenceModelOptions): ResolvedSequenceOptions {
  return {
    sequenceLength: opt.positiveInt(where, "sequenceLength", o.sequenceLength, 60),
    hiddenDim: opt.positiveInt(where, "hiddenDim", o.hiddenDim, 16),
    layers: opt.positiveInt(where, "layers", o.layers, 1),
    dropout: dropoutRate(where, o.dropout),
    learningRate: opt.finiteIn(where, "learningRate", o.learningRate, 0.001, 0, 10, true),
    batchSize: opt.positiveInt(where, "batchSize", o.batchSize, 256),
    epochs: opt.positiveInt(where, "epochs", o.epochs, 3),
    seed: Math.trunc(opt.finiteIn(where, "seed", o.seed, 0, 0, 2 ** 31 - 1)),
    maxTrainSamples: o.maxTrainSamples === undefined || o.maxTrainSamples === null ? null : opt.positiveInt(where, "maxTrainSamples", o.maxTrainSamples, 1),
    trainingBudget: opt.finiteIn(where, "trainingBudget", o.trainingBudget, 2e10, 0, Number.MAX_VALUE, true),
  };
}

function dropoutRate(where: string, v: number | undefined): number {
  const x = v ?? 0;
  if (!(x >= 0 && x < 1)) throw new RangeError(`${where}: dropout must be in [0, 1), got ${String(v)}`);
  return x;
}

/** Weight files of a fitted network, as `tf.io` artifacts (saved by the model registry). */
export interface NetworkArtifacts {
  readonly modelTopology: object;
  readonly weightSpecs: readonly { name: string; shape: number[]; dtype: string }[];
  readonly weightData: ArrayBuffer;
}

export abstract class SequenceModel implements AlphaModel {
  abstract readonly name: string;
  abstract readonly params: Readonly<Record<string, unknown>> & ResolvedSequenceOptions;
  #net: LayersModel | null = null;
  /** The inference of #net, planned on first use (tf-inference.ts); null until then. */
  #plan: InferencePlan | null = null;
  #mu = 0;
  #sd = 1;
  #trainSamples = 0;

  /** Builds and compiles the (untrained) network. @internal */
  protected abstract build(tf: TF): LayersModel;
  /** FLOPs of one forward pass of one sample (for the training budget). */
  protected abstract forwardFlops(): number;

  /** Samples used by the last fit. */
  get trainSamples(): number {
    return this.#trainSamples;
  }

  /** The fitted tfjs network (null before fit). @internal: not in the published types, which never name tfjs' */
  get network(): LayersModel | null {
    return this.#net;
  }

  #samples(): number {
    const p = this.params;
    if (p.maxTrainSamples !== null) return p.maxTrainSamples;
    const n = Math.floor(p.trainingBudget / (3 * this.forwardFlops() * p.epochs));
    return Math.max(64, Math.min(8192, n));
  }

  async fit(data: PanelView | Panel, options: FitOptions = {}): Promise<void> {
    const view = asPanelView(data);
    const p = this.params;
    const L = p.sequenceLength;
    const ret = returnColumns(view.columns);
    const n = ret.length;
    const startRow = options.start === undefined ? 0 : view.rowFrom(options.start);
    const first = Math.max(L, startRow + L);
    const last = view.nDates - 2;
    if (last < first) throw new RangeError(`${this.name}: needs more than ${L + 1} dates in the training window (has ${view.nDates - startRow}); lower sequenceLength or give more history`);
    // standardisation over the training window
    let s = 0;
    let s2 = 0;
    let m = 0;
    for (const c of ret) for (let t = Math.max(1, startRow); t <= last + 1; t++) {
      const v = c[t]!;
      if (Number.isFinite(v)) (s += v), (s2 += v * v), m++;
    }
    this.#mu = s / m;
    this.#sd = Math.sqrt(Math.max(s2 / m - this.#mu * this.#mu, 1e-24));
    // candidate (row, asset) samples with full sequences and a label
    const labels = new Float64Array((last - first + 1) * n).fill(Number.NaN);
    const scratch: number[] = [];
    for (let t = first; t <= last; t++) {
      scratch.length = 0;
      for (const c of ret) if (Number.isFinite(c[t + 1]!)) scratch.push(c[t + 1]!);
      if (scratch.length < 2) continue;
      scratch.sort((a, b) => a - b);
      const k = scratch.length;
      const med = k % 2 ? (scratch[(k - 1) / 2] as number) : ((scratch[k / 2 - 1] as number) + (scratch[k / 2] as number)) / 2;
      for (let j = 0; j < n; j++) {
        const c = ret[j] as Float64Array;
        const y = c[t + 1]!;
        if (!Number.isFinite(y)) continue;
        let ok = true;
        for (let u = t - L + 1; u <= t; u++) if (!Number.isFinite(c[u]!)) {
          ok = false;
          break;
        }
        if (ok) labels[(t - first) * n + j] = y > med ? 1 : 0;
      }
    }
    const cand: number[] = [];
    for (let k = 0; k < labels.length; k++) if (!Number.isNaN(labels[k]!)) cand.push(k);
    const rng = createRng((p.seed + 7919) >>> 0);
    const want = Math.min(this.#samples(), cand.length);
    for (let i = 0; i < want; i++) {
      const k = i + rng.int(cand.length - i);
      const tmp = cand[i] as number;
      cand[i] = cand[k] as number;
      cand[k] = tmp;
    }
    const chosen = cand.slice(0, want);
    const xs = new Float32Array(want * L);
    const ys = new Float32Array(want);
    chosen.forEach((k, i) => {
      const t = first + Math.floor(k / n);
      const c = ret[k % n] as Float64Array;
      for (let u = 0; u < L; u++) xs[i * L + u] = (c[t - L + 1 + u]! - this.#mu) / this.#sd;
      ys[i] = labels[k]!;
    });
    this.#trainSamples = want;
    const tf = await loadTensorflow();
    this.#net?.dispose();
    this.#dropPlan();
    this.#net = null;
    this.#net = await this.#train(tf, xs, ys, want, options);
  }

  /**
   * A new network trained on `want` samples. The optimizer's state (Adam's two moments per weight)
   * is freed once training ends: the network does not own an optimizer passed to compile(), so its
   * dispose() would leave it, and nothing reads it later (the registry saves the weights only).
   */
  async #train(tf: TF, xs: Float32Array, ys: Float32Array, want: number, options: FitOptions): Promise<LayersModel> {
    const p = this.params;
    const net = this.build(tf);
    const x = tf.tensor3d(xs, [want, p.sequenceLength, 1]);
    const y = tf.tensor2d(ys, [want, 1]);
    try {
      // tfjs callbacks only with a listener, so a fit without one runs exactly as before
      const cb = options.onProgress;
      const callbacks = cb ? { onEpochEnd: async (epoch: number) => reportProgress(cb, `${this.name}.fit`, "epochs", epoch + 1, p.epochs) } : undefined;
      await net.fit(x, y, { batchSize: p.batchSize, epochs: p.epochs, shuffle: false, verbose: 0, ...(callbacks ? { callbacks } : {}) });
    } catch (e) {
      net.dispose();
      throw e;
    } finally {
      net.optimizer?.dispose();
      x.dispose();
      y.dispose();
    }
    return net;
  }

  /** Probabilities for ready-made standardised sequences (n × sequenceLength, row-major). */
  async predictSequences(sequences: Float32Array, n: number): Promise<Float32Array> {
    const net = this.#net;
    if (net === null) throw new Error(`${this.name}.predict: call fit first`);
    const tf = await loadTensorflow();
    const L = this.params.sequenceLength;
    if (!(Number.isInteger(n) && n >= 0 && sequences.length === n * L)) throw new RangeError(`${this.name}.predictSequences: sequences must hold n × sequenceLength = ${n} × ${L} values, got ${sequences.length}`);
    // one batch; the attention of the first block folded into its weights (tf-inference.ts)
    this.#plan ??= planInference(tf, net);
    return this.#plan.run(tf, sequences, n, L);
  }

  /** Drops the inference plan of the current network (its constant tensors). */
  #dropPlan(): void {
    this.#plan?.dispose();
    this.#plan = null;
  }

  async predict(data: PanelView | Panel, at: DateLike): Promise<Float64Array> {
    if (this.#net === null) throw new Error(`${this.name}.predict: call fit first`);
    const view = asPanelView(data);
    const i = view.rowAt(at);
    const L = this.params.sequenceLength;
    const n = view.nAssets;
    const res = new Float64Array(n).fill(Number.NaN);
    if (i - L < 0) return res;
    const seq = new Float32Array(n * L);
    const ok = new Uint8Array(n);
    view.columns.forEach((p, j) => {
      let good = true;
      for (let u = 0; u < L; u++) {
        const t = i - L + 1 + u;
        const r = p[t]! / p[t - 1]! - 1;
        if (!Number.isFinite(r)) good = false;
        seq[j * L + u] = good ? (r - this.#mu) / this.#sd : 0;
      }
      ok[j] = good ? 1 : 0;
    });
    const prob = await this.predictSequences(seq, n);
    for (let j = 0; j < n; j++) if (ok[j]) res[j] = prob[j]!;
    return res;
  }

  /** JSON state (standardisation and parameters); the weights come from {@link saveArtifacts}. */
  toJSON(): unknown {
    return { params: this.params, mu: this.#mu, sd: this.#sd, trainSamples: this.#trainSamples };
  }

  /** The network's topology and weights as tf.io artifacts. */
  async saveArtifacts(): Promise<NetworkArtifacts> {
    const net = this.#net;
    if (net === null) throw new Error(`${this.name}: nothing to save before fit`);
    const tf = await loadTensorflow();
    let captured: NetworkArtifacts | null = null;
    await net.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const wd = artifacts.weightData;
        const buf = wd === undefined ? new ArrayBuffer(0) : Array.isArray(wd) ? concatBuffers(wd) : wd;
        captured = { modelTopology: artifacts.modelTopology as object, weightSpecs: (artifacts.weightSpecs ?? []) as NetworkArtifacts["weightSpecs"], weightData: buf };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
    );
    if (captured === null) throw new Error(`${this.name}: tfjs did not hand over the model artifacts`);
    return captured;
  }

  /** Restores a fitted state saved by {@link toJSON} + {@link saveArtifacts}. */
  async loadArtifacts(state: { mu: number; sd: number; trainSamples?: number }, artifacts: NetworkArtifacts): Promise<void> {
    const tf = await loadTensorflow();
    const net = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs as import("@tensorflow/tfjs").io.WeightsManifestEntry[], weightData: artifacts.weightData }),
    );
    this.#net?.dispose();
    this.#dropPlan();
    this.#net = net;
    this.#mu = state.mu;
    this.#sd = state.sd;
    this.#trainSamples = state.trainSamples ?? 0;
  }

  /** Frees the network's tensors. */
  dispose(): void {
    this.#net?.dispose();
    this.#dropPlan();
    this.#net = null;
  }
}

function concatBuffers(parts: ArrayBuffer[]): ArrayBuffer {
  const total = parts.reduce((a, b) => a + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), o);
    o += p.byteLength;
  }
  return out.buffer;
}

function returnColumns(columns: readonly Float64Array[]): Float64Array[] {
  return columns.map((p) => {
    const r = new Float64Array(p.length).fill(Number.NaN);
    for (let t = 1; t < p.length; t++) r[t] = p[t]! / p[t - 1]! - 1;
    return r;
  });
}
