/**
 * Custom tfjs layers of the transformer: sinusoidal positional encoding (Vaswani et al. 2017),
 * multi-head self-attention (with an option to attend from the last position only, which is all a
 * next-day prediction needs from the final block and makes inference O(L) instead of O(L²)), and
 * the last time step of a sequence. Built from the tf module passed in, so tfjs loads lazily;
 * registered for (de)serialisation once per tfjs instance.
 */
import type { TF } from "./tf-types.js";

type Tensor = import("@tensorflow/tfjs").Tensor;
type LayerArgs = import("@tensorflow/tfjs").serialization.ConfigDict;
type Shape = import("@tensorflow/tfjs").Shape;
type LayerVariable = import("@tensorflow/tfjs").LayerVariable;

export const ATTENTION_CLASS = "StatarbMultiHeadSelfAttention";
export const POSITION_CLASS = "StatarbPositionalEncoding";
export const LAST_STEP_CLASS = "StatarbLastTimeStep";
export const LAYER_NORM_CLASS = "StatarbLayerNorm";

interface LayerClasses {
  MultiHeadSelfAttention: new (config: { heads: number; lastOnly: boolean; seed: number; name?: string }) => import("@tensorflow/tfjs").layers.Layer;
  PositionalEncoding: new (config: { name?: string }) => import("@tensorflow/tfjs").layers.Layer;
  LastTimeStep: new (config: { name?: string }) => import("@tensorflow/tfjs").layers.Layer;
  LayerNorm: new (config: { epsilon?: number; name?: string }) => import("@tensorflow/tfjs").layers.Layer;
}

/** The classes registered in tfjs's own class registry (the one record of what is registered: no module state here). */
function registered(tf: TF): LayerClasses | undefined {
  const map = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, [unknown, unknown] | undefined>;
  const known = [ATTENTION_CLASS, POSITION_CLASS, LAST_STEP_CLASS, LAYER_NORM_CLASS].map((n) => map[n]?.[0]);
  if (!known.every((c) => c !== undefined)) return undefined;
  return { MultiHeadSelfAttention: known[0], PositionalEncoding: known[1], LastTimeStep: known[2], LayerNorm: known[3] } as LayerClasses;
}

/** Defines the custom layers on `tf` and registers them for (de)serialisation, once per tfjs instance. */
export function registerCustomLayers(tf: TF): LayerClasses {
  const known = registered(tf);
  if (known !== undefined) return known;
  const PositionalEncoding = definePositionalEncoding(tf);
  const LastTimeStep = defineLastTimeStep(tf);
  const LayerNorm = defineLayerNorm(tf);
  const MultiHeadSelfAttention = defineAttention(tf);
  tf.serialization.registerClass(PositionalEncoding);
  tf.serialization.registerClass(LastTimeStep);
  tf.serialization.registerClass(LayerNorm);
  tf.serialization.registerClass(MultiHeadSelfAttention as unknown as import("@tensorflow/tfjs").serialization.SerializableConstructor<import("@tensorflow/tfjs").layers.Layer>);
  return { MultiHeadSelfAttention, PositionalEncoding, LastTimeStep, LayerNorm };
}

/** The first input of a layer call. */
function firstInput(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
}

/** The input shape of a layer's build / computeOutputShape (its first input's). */
function firstShape(s: Shape | Shape[]): (number | null)[] {
  return (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
}

/** A layer call's keyword arguments; `inference: true` is passed by the model's own inference path (tf-inference.ts planInference), never by tfjs' fit. */
type CallKwargs = { inference?: boolean } & Record<string, unknown>;

/**
 * The last position of a [b, len, d] tensor as [b, d]. Training uses slice (its gradient exists on
 * wasm, gather's does not); inference uses gather, the same values: the wasm backend's slice of a
 * non-contiguous block copies the whole input out of wasm memory and slices in JavaScript
 * (≈ 0.3 ms at 500 × 60 × 16, twice a batch), its gather runs in wasm on the rows it needs.
 */
function lastStep(tf: TF, x: Tensor, inference = false): Tensor {
  const [b, len, d] = x.shape as [number, number, number];
  if (inference) return tf.reshape(tf.gather(x, tf.tensor1d([len - 1], "int32"), 1), [b, d]);
  return tf.reshape(tf.slice(x, [0, len - 1, 0], [b, 1, d]), [b, d]);
}

/**
 * Layer normalisation over the last axis with learned gain and bias (Ba et al. 2016), written
 * with broadcasting ops: tf.layers.layerNormalization tiles its statistics, which costs more
 * than the whole attention block at inference on the wasm backend.
 */
function defineLayerNorm(tf: TF) {
  return class LayerNorm extends tf.layers.Layer {
    static className = LAYER_NORM_CLASS;
    readonly epsilon: number;
    private gamma!: LayerVariable;
    private beta!: LayerVariable;
    constructor(config: { epsilon?: number; name?: string }) {
      super(config.name === undefined ? {} : { name: config.name });
      this.epsilon = config.epsilon ?? 1e-3;
    }
    override build(inputShape: Shape | Shape[]): void {
      const shape = firstShape(inputShape);
      const d = shape[shape.length - 1] as number;
      this.gamma = this.addWeight("gamma", [d], "float32", tf.initializers.ones());
      this.beta = this.addWeight("beta", [d], "float32", tf.initializers.zeros());
      this.built = true;
    }
    override computeOutputShape(s: Shape | Shape[]) {
      return s;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = firstInput(inputs);
        const { mean, variance } = tf.moments(x, -1, true);
        const scale = tf.mul(tf.rsqrt(tf.add(variance, this.epsilon)), this.gamma.read());
        return tf.add(tf.mul(tf.sub(x, mean), scale), this.beta.read());
      });
    }
    override getConfig(): LayerArgs {
      return { ...super.getConfig(), epsilon: this.epsilon };
    }
  };
}

/** Sinusoidal positional encoding (Vaswani et al. 2017) added to a [b, len, d] input. */
export function sinusoid(len: number, dim: number): Float32Array {
  const pe = new Float32Array(len * dim);
  for (let p = 0; p < len; p++) {
    for (let i = 0; i < dim; i++) {
      const angle = p / 10000 ** ((2 * Math.floor(i / 2)) / dim);
      pe[p * dim + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return pe;
}

function definePositionalEncoding(tf: TF) {
  return class PositionalEncoding extends tf.layers.Layer {
    static className = POSITION_CLASS;
    // the encoding of the last (len, dim) seen, kept (not disposed by tidy) until the shape changes
    private cache: { len: number; dim: number; pe: Tensor } | null = null;
    override computeOutputShape(s: Shape | Shape[]) {
      return s;
    }
    private encoding(len: number, dim: number): Tensor {
      if (this.cache !== null && this.cache.len === len && this.cache.dim === dim && !this.cache.pe.isDisposed) return this.cache.pe;
      this.cache?.pe.dispose();
      const t = tf.keep(tf.tensor3d(sinusoid(len, dim), [1, len, dim]));
      this.cache = { len, dim, pe: t };
      return t;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = firstInput(inputs);
        const [, len, dim] = x.shape as number[];
        return tf.add(x, this.encoding(len as number, dim as number));
      });
    }
    override dispose(): ReturnType<import("@tensorflow/tfjs").layers.Layer["dispose"]> {
      this.cache?.pe.dispose();
      this.cache = null;
      return super.dispose();
    }
  };
}

function defineLastTimeStep(tf: TF) {
  return class LastTimeStep extends tf.layers.Layer {
    static className = LAST_STEP_CLASS;
    override computeOutputShape(s: Shape | Shape[]) {
      const shape = firstShape(s);
      return [shape[0] ?? null, shape[2] ?? null];
    }
    override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor {
      return tf.tidy(() => {
        return lastStep(tf, firstInput(inputs), kwargs.inference === true);
      });
    }
  };
}

/** The attention block's weights as read for one call. */
interface AttentionWeights {
  wq: Tensor;
  wk: Tensor;
  wv: Tensor;
  wo: Tensor;
  bo: Tensor;
}

/**
 * Attention from the last position only: one query per sequence. The head projections are folded
 * into the query and the attention weights so that the only full-size products are two batched
 * matMuls with x: scores[b,t,h] = x[b,t,:]·(W_k,h q_h[b]) and z[b,h,:] = Σ_t w[b,h,t] x[b,t,:], then
 * att_h = z[b,h,:] W_v,h. Same result as projecting K and V on every position, without the
 * [b, len, h, dh] broadcasts and transposes (about 5× faster at 500 × 60 on wasm).
 */
function attendFromLast(tf: TF, x: import("@tensorflow/tfjs").Tensor3D, w: AttentionWeights, h: number, inference: boolean): Tensor {
  const [b, , d] = x.shape as [number, number, number];
  const dh = d / h;
  const qIn = lastStep(tf, x, inference);
  const q = tf.reshape(tf.matMul(qIn, w.wq), [b, 1, h, dh]);
  const wk = tf.reshape(w.wk, [1, d, h, dh]);
  const g = tf.mul(tf.sum(tf.mul(wk, q), -1), 1 / Math.sqrt(dh)); // [b, d, h]
  const scores = tf.matMul(x, g as import("@tensorflow/tfjs").Tensor3D); // [b, len, h]
  const weights = tf.softmax(tf.transpose(scores, [0, 2, 1]), -1); // [b, h, len]
  const z = tf.matMul(weights as import("@tensorflow/tfjs").Tensor3D, x); // [b, h, d]
  const full = tf.reshape(tf.matMul(tf.reshape(z, [b * h, d]), w.wv), [b, h, d]);
  const mask = new Float32Array(h * d);
  for (let hh = 0; hh < h; hh++) for (let e = 0; e < dh; e++) mask[hh * d + hh * dh + e] = 1;
  const att = tf.sum(tf.mul(full, tf.tensor3d(mask, [1, h, d])), 1); // [b, d]: heads concatenated
  return tf.add(tf.matMul(att, w.wo), w.bo);
}

/** Full self-attention: every position attends to every position, [b, len, d] out. */
function attendAll(tf: TF, x: import("@tensorflow/tfjs").Tensor3D, w: AttentionWeights, h: number): Tensor {
  const [b, len, d] = x.shape as [number, number, number];
  const dh = d / h;
  const flat = tf.reshape(x, [b * len, d]);
  const split = (t: Tensor) => tf.transpose(tf.reshape(t, [b, len, h, dh]), [0, 2, 1, 3]);
  const k = split(tf.matMul(flat, w.wk));
  const v = split(tf.matMul(flat, w.wv));
  const q = split(tf.matMul(flat, w.wq));
  const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
  const att = tf.matMul(tf.softmax(scores, -1), v); // [b, h, len, dh]
  const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [b * len, d]);
  return tf.reshape(tf.add(tf.matMul(merged, w.wo), w.bo), [b, len, d]);
}

/** Multi-head self-attention (optionally from the last position only). */
function defineAttention(tf: TF) {
  return class MultiHeadSelfAttention extends tf.layers.Layer {
    static className = ATTENTION_CLASS;
    readonly heads: number;
    readonly lastOnly: boolean;
    readonly seed: number;
    private wq!: LayerVariable;
    private wk!: LayerVariable;
    private wv!: LayerVariable;
    private wo!: LayerVariable;
    private bo!: LayerVariable;

    constructor(config: { heads: number; lastOnly: boolean; seed: number; name?: string }) {
      super(config.name === undefined ? {} : { name: config.name });
      this.heads = config.heads;
      this.lastOnly = config.lastOnly;
      this.seed = config.seed;
    }

    override build(inputShape: Shape | Shape[]): void {
      const d = firstShape(inputShape)[2] as number;
      if (d % this.heads !== 0) throw new RangeError(`TransformerModel: hiddenDim (${d}) must be divisible by attentionHeads (${this.heads})`);
      const init = (k: number) => tf.initializers.glorotUniform({ seed: this.seed + k });
      this.wq = this.addWeight("wq", [d, d], "float32", init(1));
      this.wk = this.addWeight("wk", [d, d], "float32", init(2));
      this.wv = this.addWeight("wv", [d, d], "float32", init(3));
      this.wo = this.addWeight("wo", [d, d], "float32", init(4));
      this.bo = this.addWeight("bo", [d], "float32", tf.initializers.zeros());
      this.built = true;
    }

    override computeOutputShape(s: Shape | Shape[]) {
      const shape = firstShape(s);
      return this.lastOnly ? [shape[0] ?? null, shape[2] ?? null] : shape;
    }

    override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor {
      return tf.tidy(() => {
        const x = firstInput(inputs) as import("@tensorflow/tfjs").Tensor3D;
        const w = { wq: this.wq.read(), wk: this.wk.read(), wv: this.wv.read(), wo: this.wo.read(), bo: this.bo.read() };
        return this.lastOnly ? attendFromLast(tf, x, w, this.heads, kwargs.inference === true) : attendAll(tf, x, w, this.heads);
      });
    }

    override getConfig(): LayerArgs {
      return { ...super.getConfig(), heads: this.heads, lastOnly: this.lastOnly, seed: this.seed };
    }
  };
}
