/**
 * Scores → target weights for the backtester when no construction function is given: a
 * dollar-neutral long/short book (the statarb default). Kept here, small, because the backtester
 * needs one fixed, documented default; richer construction (mean-variance, risk parity, beta
 * neutrality) is lib/portfolio's and is passed in as `portfolio: (scores, context) => weights`.
 *
 * - "rank": wᵢ ∝ rank(sᵢ) − mean rank (cross-sectional, NaN scores get 0), scaled to Σ|w| = gross.
 * - "zscore": wᵢ ∝ (sᵢ − mean s) / std s, scaled to Σ|w| = gross.
 * - "topk": +gross/2k on the k highest scores, −gross/2k on the k lowest.
 * - "proportional": wᵢ = sᵢ / Σ|s| · gross, for scores that already are positions (pairs legs ±1,
 *   Avellaneda-Lee open/close states); not demeaned, so the signal's own hedging is kept.
 */

import { checkKeys, opt } from "../data/index.js";
import { RankScratch, sortGathered } from "../features/index.js";
import { nativeRankWeights, type RankWeightsKernel } from "../stats/index.js";
import { at, atInt } from "./typed.js";

/** Options of the built-in construction. */
export interface BuiltinConstructionOptions {
  /** Default "rank". */
  method?: "rank" | "zscore" | "topk" | "proportional";
  /** Σ|w| of the book (default 1). */
  gross?: number;
  /** Names per side for "topk" (default: a fifth of the valid scores, at least 1). */
  k?: number;
}

const METHODS = ["rank", "zscore", "topk", "proportional"] as const;
const KEYS = ["method", "gross", "k"];
// the rules built once (building one per call cost more than the rank step's sort of a row)
const METHOD = opt.oneOf(METHODS, "rank");
const GROSS = opt.number(1, { min: 0 });

/** Checks construction options (errors name the option, as `portfolio.<key>`; unknown keys are refused). */
export function checkConstruction(options: BuiltinConstructionOptions, w = "scoresToWeights"): Required<Omit<BuiltinConstructionOptions, "k">> & { k: number | undefined } {
  const o = checkKeys(w, options, KEYS);
  const m = o.get("method");
  const method = m === undefined ? "rank" : METHOD.check(w, "portfolio.method", m);
  const g = o.get("gross");
  const gross = g === undefined ? 1 : GROSS.check(w, "portfolio.gross", g);
  const k = o.get("k") === undefined ? undefined : opt.positiveInt(w, "portfolio.k", o.get("k"), 1);
  return { method, gross, k };
}

/** Dollar-neutral weights from scores (a new array; NaN scores get weight 0). */
export function scoresToWeights(scores: Float64Array, options: BuiltinConstructionOptions = {}, out = new Float64Array(scores.length)): Float64Array {
  return withSharedScratch(checkConstruction(options), scores, out);
}

/** Scratch arrays of the construction for rows of up to `n` scores. */
class Scratch {
  readonly n: number;
  /** Indices of the finite scores (zscore, topk, proportional). */
  readonly idx: Int32Array;
  /** The rank method's sort. */
  readonly rank: RankScratch;
  constructor(n: number) {
    this.n = n;
    this.idx = new Int32Array(n);
    this.rank = new RankScratch(n);
  }
}

/** The scratch of one-shot calls (`scoresToWeights`), grown to the longest row seen; a re-entered call gets its own. */
let shared = new Scratch(0);
let sharedBusy = false;

/**
 * The built-in construction with its options checked once and its scratch arrays allocated once, for
 * a loop over many rows of `n` scores (the backtester's rebalance days): no allocation per row.
 */
export class Construction {
  readonly #options: Checked;
  /** Own scratch, or undefined: the module's shared scratch serves (one-shot calls allocate nothing). */
  readonly #scratch: Scratch | undefined;

  /** `ownScratch` false (a one-shot call): the module's shared scratch serves, nothing is allocated. */
  constructor(options: Checked, n: number, ownScratch = true) {
    this.#options = { method: options.method, gross: options.gross, k: options.k };
    this.#scratch = ownScratch ? new Scratch(n) : undefined;
  }

  /** The weights of `scores` (length n) into `out`. */
  weights(scores: Float64Array, out: Float64Array): Float64Array {
    const own = this.#scratch;
    const n = scores.length;
    if (own !== undefined) return construct(this.#options, scores, out, own.n >= n ? own : new Scratch(n));
    return withSharedScratch(this.#options, scores, out);
  }
}

/** The construction with the module's shared scratch (a call re-entered while it is in use gets its own). */
function withSharedScratch(options: Checked, scores: Float64Array, out: Float64Array): Float64Array {
  const n = scores.length;
  if (sharedBusy) return construct(options, scores, out, new Scratch(n));
  if (shared.n < n) shared = new Scratch(n);
  sharedBusy = true;
  try {
    return construct(options, scores, out, shared);
  } finally {
    sharedBusy = false;
  }
}

type Checked = { method: BuiltinConstructionOptions["method"]; gross: number; k: number | undefined };

/** The addon's kernel for the rank method (native/linalg/rank.cc: the same numbers), looked up on first use; null: TypeScript. */
let kernel: RankWeightsKernel | null | undefined;

function construct(options: Checked, scores: Float64Array, out: Float64Array, scratch: Scratch): Float64Array {
  const { method, gross } = options;
  if (out.length !== scores.length) throw new RangeError(`scoresToWeights: out must have the scores' length ${scores.length}, got ${out.length}`);
  if (method === "rank") {
    if (kernel === undefined) kernel = nativeRankWeights();
    if (kernel !== null && scores instanceof Float64Array && out instanceof Float64Array && out.buffer !== scores.buffer) {
      kernel(scores, gross, out);
      return out;
    }
    return rankWeights(scores, gross, out, scratch.rank);
  }
  out.fill(0);
  const idx = finiteIndices(scores, scratch.idx);
  if (method === "proportional") return proportional(scores, idx, gross, out);
  if (idx.length < 2) return out;
  if (method === "topk") return topK(scores, idx, gross, options.k, out);
  return zscoreWeights(scores, idx, gross, out);
}

/** Indices of the finite scores, ascending (a view of `idx`). */
function finiteIndices(scores: Float64Array, idx: Int32Array): Int32Array {
  let m = 0;
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(at(scores, i))) idx[m++] = i;
  return idx.subarray(0, m);
}

function proportional(scores: Float64Array, idx: Int32Array, gross: number, out: Float64Array): Float64Array {
  let g = 0;
  for (const i of idx) g += Math.abs(at(scores, i));
  if (g > 0) for (const i of idx) out[i] = (at(scores, i) * gross) / g;
  return out;
}

function topK(scores: Float64Array, idx: Int32Array, gross: number, k: number | undefined, out: Float64Array): Float64Array {
  const m = idx.length;
  // A stable sort of the indices by score: ties keep index order, so the names picked at the edges are reproducible.
  const order = Array.from(idx).sort((a, b) => at(scores, a) - at(scores, b));
  const kk = Math.min(k ?? Math.max(1, Math.floor(m / 5)), Math.floor(m / 2));
  if (kk < 1) return out;
  const w = gross / (2 * kk);
  for (let q = 0; q < kk; q++) {
    out[order[q] as number] = -w;
    out[order[m - 1 - q] as number] = w;
  }
  return out;
}

/**
 * wᵢ ∝ rank(sᵢ) − (m+1)/2 over the m finite scores (average 1-based ranks for ties, as lib/features'
 * `rankAverage`), scaled to Σ|w| = gross; 0 for the others, and all 0 when m < 2. Ranks are
 * half-integers, so the centring and Σ|w| are exact whatever the order of the sums; each weight is
 * (rᵢ − centre)·gross / Σ|r − centre|, computed as that expression.
 *
 * One sort of the finite scores (`sortGathered`, which also tells whether any tie), then one pass
 * writing the weights in sorted order (with ties: first a pass over the tie groups for Σ|r − centre|).
 */
function rankWeights(scores: Float64Array, gross: number, out: Float64Array, s: RankScratch): Float64Array {
  const n = scores.length;
  // out sharing the scores' memory: the scores are read after out is cleared (as always)
  if (out.buffer === scores.buffer) out.fill(0);
  const { keys, idx } = s;
  let m = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = at(scores, j);
    if (v - v === 0) {
      idx[m] = j;
      keys[m++] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    } else out[j] = 0;
  }
  if (m < 2) {
    if (m === 1) out[atInt(idx, 0)] = 0;
    return out;
  }
  const ties = sortGathered(s, m, lo, hi);
  const { sortedKeys, sortedIdx } = s;
  const centre = (m + 1) / 2;
  if (!ties && m <= 0x4000000) {
    // ranks 1…m: Σ|r − centre| = ⌊m²/4⌋ exactly (m ≤ 2²⁶), the sum the tie pass would add up
    const g = (m % 2 === 0 ? m * m : m * m - 1) / 4;
    for (let p = 0; p < m; p++) out[atInt(sortedIdx, p)] = ((p + 1 - centre) * gross) / g;
    return out;
  }
  let g = 0;
  for (let i = 0; i < m; ) {
    const v = at(sortedKeys, i);
    let k = i;
    while (k + 1 < m && at(sortedKeys, k + 1) === v) k++;
    g += Math.abs((i + k) / 2 + 1 - centre) * (k - i + 1);
    i = k + 1;
  }
  writeTiedWeights(sortedKeys, sortedIdx, m, centre, gross, g, out);
  return out;
}

/** rankWeights' last pass when some scores tie: each tie group gets its average rank's weight (all 0 when g is 0: every score tied). */
function writeTiedWeights(key: Float64Array, idx: Int32Array, m: number, centre: number, gross: number, g: number, out: Float64Array): void {
  for (let i = 0; i < m; ) {
    const v = at(key, i);
    let k = i;
    while (k + 1 < m && at(key, k + 1) === v) k++;
    const c = (i + k) / 2 + 1 - centre;
    const w = g > 0 ? (c * gross) / g : c;
    for (let t = i; t <= k; t++) out[atInt(idx, t)] = w;
    i = k + 1;
  }
}

function zscoreWeights(scores: Float64Array, idx: Int32Array, gross: number, out: Float64Array): Float64Array {
  const m = idx.length;
  let s = 0;
  for (const i of idx) s += at(scores, i);
  const mu = s / m;
  let ss = 0;
  for (const i of idx) ss += (at(scores, i) - mu) ** 2;
  const sd = Math.sqrt(ss / (m - 1));
  if (!(sd > 0)) return out;
  for (const i of idx) out[i] = (at(scores, i) - mu) / sd;
  let g = 0;
  for (const i of idx) g += Math.abs(at(out, i));
  if (g > 0) for (const i of idx) out[i] = (at(out, i) * gross) / g;
  return out;
}
