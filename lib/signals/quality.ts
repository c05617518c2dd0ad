/**
 * Model quality: the rank information coefficient (Spearman correlation across assets between a
 * date's scores and the following h-day returns; Grinold & Kahn 2000), its per-date series and
 * summary, its decay with the horizon, a rolling mean, and the daily return of the top-k / bottom-k
 * book the scores imply. Forward returns read the future on purpose: these are evaluations, run
 * after the fact on out-of-sample scores.
 */
import { opt, type Panel, readOptions } from "../data/index.js";
import { forwardReturns, rankAverage } from "../features/index.js";

/** Per-date rank IC and its summary. */
export interface RankICResult {
  readonly dates: Int32Array;
  /** IC per date (NaN where fewer than `minAssets` pairs exist). */
  readonly ic: Float64Array;
  readonly mean: number;
  /** Sample std (ddof 1) of the finite ICs. */
  readonly std: number;
  /** mean / std · √count. */
  readonly tStat: number;
  /** Share of dates with IC > 0. */
  readonly hitRate: number;
  readonly count: number;
  readonly horizon: number;
}

/** Spearman rank correlation of the pairs where both are finite (NaN when fewer than minPairs). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>, minPairs = 3): number {
  const n = x.length;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = x[i] as number;
    const v = y[i] as number;
    if (Number.isFinite(u) && Number.isFinite(v)) (a.push(u), b.push(v));
  }
  const m = a.length;
  if (m < minPairs) return Number.NaN;
  const ra = new Float64Array(m);
  const rb = new Float64Array(m);
  rankAverage(a, ra);
  rankAverage(b, rb);
  const mu = (m + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < m; i++) {
    const da = ra[i]! - mu;
    const db = rb[i]! - mu;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

function checkAligned(where: string, a: Panel, b: Panel): void {
  if (a.nDates !== b.nDates || a.nAssets !== b.nAssets) throw new RangeError(`${where}: scores are ${a.nDates} × ${a.nAssets} but prices are ${b.nDates} × ${b.nAssets}; align them first (alignPanels)`);
}

/** Rank IC of scores at t against the h-day return from t to t+h, per date. */
export function rankIC(scores: Panel, prices: Panel, options: { horizon?: number; minAssets?: number } = {}): RankICResult {
  checkAligned("rankIC", scores, prices);
  const { horizon, minAssets } = readOptions("rankIC", options, { horizon: opt.positiveInteger(1), minAssets: opt.positiveInteger(3) });
  const fwd = forwardReturns(prices, horizon);
  const T = scores.nDates;
  const n = scores.nAssets;
  const ic = new Float64Array(T).fill(Number.NaN);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < n; j++) {
      x[j] = (scores.columns[j] as Float64Array)[t]!;
      y[j] = (fwd.columns[j] as Float64Array)[t]!;
    }
    ic[t] = spearman(x, y, minAssets);
  }
  return summarise(scores.dates, ic, horizon);
}

function summarise(dates: Int32Array, ic: Float64Array, horizon: number): RankICResult {
  let s = 0;
  let c = 0;
  let pos = 0;
  for (const v of ic) if (Number.isFinite(v)) (s += v), c++, v > 0 && pos++;
  const mean = c > 0 ? s / c : Number.NaN;
  let ss = 0;
  for (const v of ic) if (Number.isFinite(v)) ss += (v - mean) ** 2;
  const std = c > 1 ? Math.sqrt(ss / (c - 1)) : Number.NaN;
  return Object.freeze({ dates, ic, mean, std, tStat: std > 0 ? (mean / std) * Math.sqrt(c) : Number.NaN, hitRate: c > 0 ? pos / c : Number.NaN, count: c, horizon });
}

/** IC decay: mean rank IC (and t-stat) of the same scores against 1…H-day forward returns. */
export function icDecay(scores: Panel, prices: Panel, horizons: readonly number[] = [1, 2, 5, 10, 21]): { readonly horizons: readonly number[]; readonly meanIC: Float64Array; readonly tStat: Float64Array } {
  if (horizons.length === 0) throw new RangeError("icDecay: horizons must list at least one positive integer");
  const meanIC = new Float64Array(horizons.length);
  const tStat = new Float64Array(horizons.length);
  horizons.forEach((h, k) => {
    const r = rankIC(scores, prices, { horizon: h });
    meanIC[k] = r.mean;
    tStat[k] = r.tStat;
  });
  return Object.freeze({ horizons: Object.freeze([...horizons]), meanIC, tStat });
}

/** Trailing mean of an IC series over `window` finite values (NaN until that many were seen). */
export function rollingIC(ic: Float64Array, window = 63): Float64Array {
  const w = opt.positiveInt("rollingIC", "window", window, 63);
  const out = new Float64Array(ic.length).fill(Number.NaN);
  const buf: number[] = [];
  let s = 0;
  for (let t = 0; t < ic.length; t++) {
    const v = ic[t]!;
    if (Number.isFinite(v)) {
      buf.push(v);
      s += v;
      if (buf.length > w) s -= buf.shift() as number;
    }
    if (buf.length === w) out[t] = s / w;
  }
  return out;
}

/** Daily return of the equal-weight top-k long / bottom-k short book from scores at t, held t → t+1. */
export function topBottomReturns(scores: Panel, prices: Panel, k = 5): { readonly dates: Int32Array; readonly returns: Float64Array; readonly mean: number; readonly sharpe: number; readonly count: number } {
  checkAligned("topBottomReturns", scores, prices);
  const kk = opt.positiveInt("topBottomReturns", "k", k, 5);
  const fwd = forwardReturns(prices, 1);
  const T = scores.nDates;
  const n = scores.nAssets;
  const out = new Float64Array(T).fill(Number.NaN);
  for (let t = 0; t < T; t++) {
    const idx: number[] = [];
    for (let j = 0; j < n; j++) {
      const s = (scores.columns[j] as Float64Array)[t]!;
      const r = (fwd.columns[j] as Float64Array)[t]!;
      if (Number.isFinite(s) && Number.isFinite(r)) idx.push(j);
    }
    const m = Math.min(kk, Math.floor(idx.length / 2));
    if (m < 1) continue;
    idx.sort((a, b) => (scores.columns[a] as Float64Array)[t]! - (scores.columns[b] as Float64Array)[t]! || a - b);
    let long = 0;
    let short = 0;
    for (let q = 0; q < m; q++) {
      short += (fwd.columns[idx[q] as number] as Float64Array)[t]!;
      long += (fwd.columns[idx[idx.length - 1 - q] as number] as Float64Array)[t]!;
    }
    out[t] = (long - short) / (2 * m);
  }
  let s = 0;
  let c = 0;
  for (const v of out) if (Number.isFinite(v)) (s += v), c++;
  const mean = c > 0 ? s / c : Number.NaN;
  let ss = 0;
  for (const v of out) if (Number.isFinite(v)) ss += (v - mean) ** 2;
  const sd = c > 1 ? Math.sqrt(ss / (c - 1)) : Number.NaN;
  return Object.freeze({ dates: scores.dates, returns: out, mean, sharpe: sd > 0 ? (mean / sd) * Math.sqrt(252) : Number.NaN, count: c });
}
