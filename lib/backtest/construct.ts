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
import { RankScratch, rankAverage } from "../features/index.js";
import { at } from "./typed.js";

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

/** Checks construction options (errors name the option, as `portfolio.<key>`; unknown keys are refused). */
export function checkConstruction(options: BuiltinConstructionOptions, w = "scoresToWeights"): Required<Omit<BuiltinConstructionOptions, "k">> & { k: number | undefined } {
  const o = checkKeys(w, options, ["method", "gross", "k"]);
  const method = opt.oneOfValue(w, "portfolio.method", o.get("method"), "rank", METHODS);
  const g = o.get("gross");
  const gross = g === undefined ? 1 : opt.number(1, { min: 0 }).check(w, "portfolio.gross", g);
  const k = o.get("k") === undefined ? undefined : opt.positiveInt(w, "portfolio.k", o.get("k"), 1);
  return { method, gross, k };
}

/** Dollar-neutral weights from scores (a new array; NaN scores get weight 0). */
export function scoresToWeights(scores: Float64Array, options: BuiltinConstructionOptions = {}, out = new Float64Array(scores.length)): Float64Array {
  return new Construction(checkConstruction(options), scores.length, false).weights(scores, out);
}

/**
 * The built-in construction with its options checked once and its scratch arrays allocated once, for
 * a loop over many rows of `n` scores (the backtester's rebalance days): no allocation per row.
 */
export class Construction {
  readonly #method: BuiltinConstructionOptions["method"];
  readonly #gross: number;
  readonly #k: number | undefined;
  /** Indices of the finite scores. */
  readonly #idx: Int32Array;
  /** The scores with ±Infinity as NaN (rank's input), and rankAverage's scratch. */
  readonly #finite: Float64Array;
  readonly #rankScratch: RankScratch | undefined;

  /** `ownScratch` false (a one-shot call): rankAverage's shared scratch serves, nothing is allocated for the ranks. */
  constructor(options: { method: BuiltinConstructionOptions["method"]; gross: number; k: number | undefined }, n: number, ownScratch = true) {
    this.#method = options.method;
    this.#gross = options.gross;
    this.#k = options.k;
    this.#idx = new Int32Array(n);
    this.#finite = new Float64Array(n);
    this.#rankScratch = ownScratch && options.method === "rank" ? new RankScratch(n) : undefined;
  }

  /** The weights of `scores` (length n) into `out`. */
  weights(scores: Float64Array, out: Float64Array): Float64Array {
    out.fill(0);
    const idx = this.#finiteIndices(scores);
    const method = this.#method;
    const gross = this.#gross;
    if (method === "proportional") return proportional(scores, idx, gross, out);
    if (idx.length < 2) return out;
    if (method === "topk") return topK(scores, idx, gross, this.#k, out);
    if (method === "rank") return rankWeights(scores, idx, gross, out, this.#finite, this.#rankScratch);
    return zscoreWeights(scores, idx, gross, out);
  }

  /** Indices of the finite scores, ascending (a view of the scratch array). */
  #finiteIndices(scores: Float64Array): Int32Array {
    const idx = scores.length <= this.#idx.length ? this.#idx : new Int32Array(scores.length);
    let m = 0;
    for (let i = 0; i < scores.length; i++) if (Number.isFinite(at(scores, i))) idx[m++] = i;
    return idx.subarray(0, m);
  }
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
 * wᵢ ∝ rank(sᵢ) − (m+1)/2 with average 1-based ranks for ties (lib/features' `rankAverage`), scaled
 * to Σ|w| = gross. Ranks are half-integers, so the centring and Σ|w| are exact.
 */
function rankWeights(scores: Float64Array, idx: Int32Array, gross: number, out: Float64Array, scratch: Float64Array, rankScratch: RankScratch | undefined): Float64Array {
  const n = scores.length;
  const finite = n === scratch.length ? scratch : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = at(scores, i);
    finite[i] = v - v === 0 ? v : Number.NaN;
  }
  const m = rankAverage(finite, out, rankScratch);
  const centre = (m + 1) / 2;
  let g = 0;
  for (let i = 0; i < out.length; i++) {
    const r = at(out, i);
    const v = r === r ? r - centre : 0;
    out[i] = v;
    g += Math.abs(v);
  }
  if (g > 0) for (const i of idx) out[i] = (at(out, i) * gross) / g;
  return out;
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
