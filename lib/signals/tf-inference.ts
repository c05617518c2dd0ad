/**
 * Inference of a fitted sequence network on tfjs, planned once per network. The graph runs layer
 * by layer through each layer's own `call()` (one batch: LayersModel.predict would cut it into
 * batches of 32, and apply() adds per-layer bookkeeping that costs as much as the kernels), except
 * where a layer's input is affine in the input sequence s — x[t] = s[t]·w + p[t] for constants w, p:
 * the input itself, a linear Dense of its single feature (the transformer's embedding), the
 * positional encoding, sums of these. Then
 *  - attention from the last position folds into its weights (foldAttention): a batch needs a few
 *    small elementwise ops, a softmax and one 2-D matMul instead of the [b, len, d] embedding, two
 *    batched matMuls (tfjs-wasm runs a batched matMul through a scalar loop) and ≈ 25 more kernels;
 *  - the last time step is s[L−1]·w + p[L−1] (one fused matMul).
 * Affine values no layer needs as numbers are never computed. The folded products are summed in
 * another order than the layer-by-layer path, so predictions agree with it to float32 rounding,
 * not bit for bit. Training does not use this module: it runs tfjs' own graph (gradients).
 */
import { ATTENTION_CLASS, LAST_STEP_CLASS, POSITION_CLASS, sinusoid } from "./tf-layers.js";
import type { TF } from "./tf-types.js";

type LayersModel = import("@tensorflow/tfjs").LayersModel;
type Layer = import("@tensorflow/tfjs").layers.Layer;
type Tensor = import("@tensorflow/tfjs").Tensor;
type Tensor2D = import("@tensorflow/tfjs").Tensor2D;

/** x[t, c] = s[t]·w[c] + p[t, c] for the network's input sequence s (float64 constants). */
interface Affine {
  readonly w: Float64Array;
  readonly p: Float64Array;
  readonly rows: number;
}

/** The tensors of one batch. */
interface Batch {
  readonly tf: TF;
  /** the input, [n, L, 1] */
  readonly x: Tensor;
  readonly n: number;
  readonly L: number;
  /** outputs already computed in this batch */
  readonly memo: Map<Sym, Tensor>;
  /** the last input value of every sequence, [n, 1] (computed once per batch) */
  last?: Tensor2D;
}

/** A layer's output as known when planning: an affine map (or null) and how to compute the tensor. */
interface Sym {
  readonly affine: Affine | null;
  readonly compute: (batch: Batch) => Tensor;
  /** an attention folded into its weights */
  readonly folded?: true;
}

/** A network's inference, planned once; holds constant tensors until {@link InferencePlan.dispose}. */
export interface InferencePlan {
  /** Probabilities of `n` standardised sequences (n × L, row-major). */
  run(tf: TF, sequences: Float32Array, n: number, L: number): Float32Array;
  /** Attention layers folded into their weights (the rest run through their own call()). */
  readonly foldedAttentions: number;
  /** Frees the plan's constant tensors (not the network's). */
  dispose(): void;
}

function force(batch: Batch, sym: Sym): Tensor {
  let t = batch.memo.get(sym);
  if (t === undefined) {
    t = sym.compute(batch);
    batch.memo.set(sym, t);
  }
  return t;
}

/** [n, 1]: the last value of each input sequence. */
function lastInput(batch: Batch): Tensor2D {
  const { tf, x, n, L } = batch;
  batch.last ??= tf.reshape(tf.gather(tf.reshape(x, [n, L]), tf.tensor1d([L - 1], "int32"), 1), [n, 1]) as Tensor2D;
  return batch.last;
}

/**
 * Plans the inference of a functional network (single input, single output, single-output
 * layers, in topological order as LayersModel.layers lists them). `fold: false` runs every layer
 * through its call(): the layer-by-layer path, kept as the reference of the tests and the bench.
 */
export function planInference(tf: TF, net: LayersModel, fold = true): InferencePlan {
  const kept: Tensor[] = [];
  const constant = (values: Float64Array, shape: number[]): Tensor => {
    const t = tf.keep(tf.tensor(Float32Array.from(values), shape, "float32")); // kept even when planned inside a tidy
    kept.push(t);
    return t;
  };
  const syms = new Map<string, Sym>();
  let out: Sym | null = null;
  for (const layer of net.layers) {
    const ins = (layer.inboundNodes[0]?.inboundLayers ?? []).map((l) => syms.get(l.name));
    if (ins.some((s) => s === undefined)) throw new Error(`planInference: layer ${layer.name} runs before its inputs`);
    out = ins.length === 0 ? inputSym(net, fold) : planLayer(tf, layer, ins as Sym[], constant);
    syms.set(layer.name, out);
  }
  const output = out;
  if (output === null) throw new Error("planInference: the network has no layers");
  return {
    foldedAttentions: [...syms.values()].filter((s) => s.folded === true).length,
    run(t: TF, sequences: Float32Array, n: number, L: number): Float32Array {
      const y = t.tidy(() => force({ tf: t, x: t.tensor3d(sequences, [n, L, 1]), n, L, memo: new Map() }, output));
      const v = y.dataSync() as Float32Array;
      y.dispose();
      return v;
    },
    dispose(): void {
      for (const t of kept.splice(0)) t.dispose();
    },
  };
}

function inputSym(net: LayersModel, fold: boolean): Sym {
  const shape = net.inputs[0]?.shape ?? [];
  const L = shape[1];
  const affine = fold && shape.length === 3 && shape[2] === 1 && typeof L === "number" ? { w: Float64Array.of(1), p: new Float64Array(L), rows: L } : null;
  return { affine, compute: (batch) => batch.x };
}

type Constant = (values: Float64Array, shape: number[]) => Tensor;

/** A layer's output: through its own call(), or folded (see the module comment). */
function planLayer(tf: TF, layer: Layer, ins: readonly Sym[], constant: Constant): Sym {
  const viaCall: Sym["compute"] = (batch) => {
    const xs = ins.map((s) => force(batch, s));
    return layer.call(xs.length === 1 ? (xs[0] as Tensor) : xs, { inference: true }) as Tensor;
  };
  const a = ins[0]?.affine ?? null;
  const config = layer.getConfig() as Record<string, unknown>;
  const cls = layer.getClassName();
  if (a === null || (cls !== "Add" && ins.length !== 1)) return { affine: null, compute: viaCall };
  if (cls === "Dropout") return { affine: a, compute: viaCall };
  if (cls === "Dense" && config.activation === "linear") return { affine: denseAffine(layer, config, a), compute: viaCall };
  if (cls === POSITION_CLASS) return { affine: positionAffine(a), compute: viaCall };
  if (cls === "Add" && ins.every((s) => s.affine !== null)) return { affine: addAffine(ins.map((s) => s.affine as Affine)), compute: viaCall };
  if (cls === LAST_STEP_CLASS) {
    const d = a.w.length;
    const w = constant(a.w, [1, d]);
    const pL = constant(a.p.subarray((a.rows - 1) * d, a.rows * d), [d]);
    return { affine: null, compute: (batch) => tf.fused.matMul({ a: lastInput(batch), b: w as Tensor2D, bias: pL }) };
  }
  if (cls === ATTENTION_CLASS && config.lastOnly === true) {
    const h = Number(config.heads);
    const f = foldAttention(layer, h, a);
    if (f !== null) return { affine: null, compute: foldedAttention(tf, f, h, constant), folded: true };
  }
  return { affine: null, compute: viaCall };
}

/**
 * A layer's fitted weight by its own name (e.g. "kernel", "wq"), as float64; null when absent or
 * of another size. By the original name ("<layer>/kernel"): a network loaded while another with the
 * same layer names lives gets unique variable names ("<layer>/kernel_1").
 */
function weight(layer: Layer, name: string, size: number): Float64Array | null {
  const v = layer.weights.find((w) => w.originalName === name || w.originalName.endsWith(`/${name}`));
  if (v === undefined) return null;
  const data = v.read().dataSync() as Float32Array;
  return data.length === size ? Float64Array.from(data) : null;
}

/** y[yo … yo+m) = (bias or 0) + v[vo … vo+n) W for W n × m (row-major). */
function rowTimes(v: Float64Array, vo: number, w: Float64Array, n: number, m: number, y: Float64Array, yo: number, bias: Float64Array | null = null): void {
  for (let u = 0; u < m; u++) y[yo + u] = bias === null ? 0 : (bias[u] as number);
  for (let i = 0; i < n; i++) {
    const vi = v[vo + i] as number;
    for (let u = 0; u < m; u++) y[yo + u] += vi * (w[i * m + u] as number);
  }
}

function denseAffine(layer: Layer, config: Record<string, unknown>, a: Affine): Affine | null {
  const cols = a.w.length;
  const units = Number(config.units);
  const k = weight(layer, "kernel", cols * units);
  const b = config.useBias === false ? new Float64Array(units) : weight(layer, "bias", units);
  if (k === null || b === null) return null;
  const w = new Float64Array(units);
  rowTimes(a.w, 0, k, cols, units, w, 0);
  const p = new Float64Array(a.rows * units);
  for (let t = 0; t < a.rows; t++) rowTimes(a.p, t * cols, k, cols, units, p, t * units, b);
  return { w, p, rows: a.rows };
}

function positionAffine(a: Affine): Affine {
  const pe = sinusoid(a.rows, a.w.length);
  return { w: a.w, p: a.p.map((v, i) => v + (pe[i] as number)), rows: a.rows };
}

function addAffine(as: readonly Affine[]): Affine | null {
  const first = as[0] as Affine;
  if (as.some((a) => a.rows !== first.rows || a.w.length !== first.w.length)) return null;
  const w = new Float64Array(first.w.length);
  const p = new Float64Array(first.p.length);
  for (const a of as) {
    for (let c = 0; c < w.length; c++) w[c] += a.w[c] as number;
    for (let i = 0; i < p.length; i++) p[i] += a.p[i] as number;
  }
  return { w, p, rows: first.rows };
}

/** The constants of an attention from the last position of an affine input (see foldAttention). */
interface FoldedAttention {
  readonly L: number;
  readonly d: number;
  /** α_h, β_h (h each) */
  readonly alpha: Float64Array;
  readonly beta: Float64Array;
  /** γ[h, t], δ[h, t] (h × L, head-major) */
  readonly gamma: Float64Array;
  readonly delta: Float64Array;
  /** [(h·L + h) × d]: rows h·L + t give (p_t W_v,h) W_o,h, rows h·L + h give (w W_v,h) W_o,h */
  readonly out: Float64Array;
  readonly bias: Float64Array;
}

/** g_h = W_k,h q_h / √dh per head (h × d, head-major) from q (d). */
function foldKeys(wk: Float64Array, q: Float64Array, h: number, d: number): Float64Array {
  const dh = d / h;
  const g = new Float64Array(h * d);
  for (let hh = 0; hh < h; hh++) {
    for (let c = 0; c < d; c++) {
      let acc = 0;
      for (let e = 0; e < dh; e++) acc += (wk[c * d + hh * dh + e] as number) * (q[hh * dh + e] as number);
      g[hh * d + c] = acc / Math.sqrt(dh);
    }
  }
  return g;
}

function dot(u: Float64Array, uo: number, v: Float64Array, vo: number, d: number): number {
  let acc = 0;
  for (let c = 0; c < d; c++) acc += (u[uo + c] as number) * (v[vo + c] as number);
  return acc;
}

/**
 * Attention from the last position (tf-layers.ts attendFromLast) of x_t = s_t w + p_t: q = s_L qa + qc
 * with qa = w W_q, qc = p_L W_q, so g_h = s_L ga_h + gc_h and the scores are
 * x_t·g_h = s_t (s_L α_h + β_h) + s_L γ_h,t + δ_h,t (α_h = w·ga_h, β_h = w·gc_h, γ_h,t = p_t·ga_h, δ_h,t = p_t·gc_h);
 * with the weights ω_h,t = softmax_t, z_h = Σ_t ω_h,t x_t and the output Σ_h z_h W_v,h W_o,h + b_o
 * = Σ_h [Σ_t ω_h,t (p_t W_v,h W_o,h) + (Σ_t ω_h,t s_t)(w W_v,h W_o,h)] + b_o: one matMul of [ω, Σ_t ω s].
 */
function foldAttention(layer: Layer, h: number, a: Affine): FoldedAttention | null {
  const { rows: L } = a;
  const d = a.w.length;
  const [wq, wk, wv, wo] = ["wq", "wk", "wv", "wo"].map((n) => weight(layer, n, d * d));
  const bo = weight(layer, "bo", d);
  if (!wq || !wk || !wv || !wo || !bo || !(Number.isInteger(h) && h > 0 && d % h === 0)) return null;
  const dh = d / h;
  const qa = new Float64Array(d);
  const qc = new Float64Array(d);
  rowTimes(a.w, 0, wq, d, d, qa, 0);
  rowTimes(a.p, (L - 1) * d, wq, d, d, qc, 0);
  const ga = foldKeys(wk, qa, h, d);
  const gc = foldKeys(wk, qc, h, d);
  const f = { L, d, alpha: new Float64Array(h), beta: new Float64Array(h), gamma: new Float64Array(h * L), delta: new Float64Array(h * L), out: new Float64Array((h * L + h) * d), bias: bo };
  // v rows: p_t W_v (t < L), then w W_v; each head's dh columns times that head's rows of W_o
  const v = new Float64Array((L + 1) * d);
  for (let t = 0; t < L; t++) rowTimes(a.p, t * d, wv, d, d, v, t * d);
  rowTimes(a.w, 0, wv, d, d, v, L * d);
  for (let hh = 0; hh < h; hh++) {
    f.alpha[hh] = dot(a.w, 0, ga, hh * d, d);
    f.beta[hh] = dot(a.w, 0, gc, hh * d, d);
    for (let t = 0; t < L; t++) {
      f.gamma[hh * L + t] = dot(a.p, t * d, ga, hh * d, d);
      f.delta[hh * L + t] = dot(a.p, t * d, gc, hh * d, d);
    }
    const headOut = (vRow: number, outRow: number) => rowTimes(v, vRow * d + hh * dh, wo.subarray(hh * dh * d), dh, d, f.out, outRow * d);
    for (let t = 0; t < L; t++) headOut(t, hh * L + t);
    headOut(L, h * L + hh);
  }
  return f;
}

/** The batch computation of a folded attention: scores, softmax, one fused matMul. */
function foldedAttention(tf: TF, f: FoldedAttention, h: number, constant: Constant): Sym["compute"] {
  const { L, d } = f;
  const alpha = constant(f.alpha, [1, h]) as Tensor2D;
  const beta = constant(f.beta, [h]);
  const gamma = constant(f.gamma, [1, h * L]) as Tensor2D;
  const delta = constant(f.delta, [h * L]);
  const out = constant(f.out, [h * L + h, d]) as Tensor2D;
  const bias = constant(f.bias, [d]);
  return (batch) => {
    const { n, x } = batch;
    const sL = lastInput(batch);
    const s = tf.reshape(x, [n, 1, L]);
    const A = tf.reshape(tf.fused.matMul({ a: sL, b: alpha, bias: beta }), [n, h, 1]);
    const C = tf.reshape(tf.fused.matMul({ a: sL, b: gamma, bias: delta }), [n, h, L]);
    const weights = tf.softmax(tf.add(tf.mul(s, A), C), -1); // [n, h, L]
    const ws = tf.sum(tf.mul(weights, s), -1); // [n, h]
    const lhs = tf.concat([tf.reshape(weights, [n, h * L]), ws], 1) as Tensor2D;
    return tf.fused.matMul({ a: lhs, b: out, bias });
  };
}
