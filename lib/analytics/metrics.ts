/**
 * Performance metrics with empyrical's definitions (empyrical-reloaded 0.5+, the DESIGN.md
 * conventions): simple returns, 252 periods a year unless `periodsPerYear` is given.
 *
 * NaN handling follows empyrical exactly (and is cross-checked against it):
 * - means/standard deviations are nan-aware (numpy `nanmean`/`nanstd`, ddof 1);
 * - compounding (cumulativeReturns, drawdowns, annualReturn) treats a NaN return as 0, and
 *   annualReturn's year count uses ALL periods (NaN included), as empyrical does;
 * - pairwise metrics (beta, alpha, informationRatio) use the periods where both series are present;
 * - a return ≤ −1 (a bankrupt book) or ±Infinity is a RangeError naming the period (DESIGN.md:
 *   never a metric over a bankrupt book);
 * - fewer than 2 observations (1 for drawdowns/annualReturn) → NaN; a zero-dispersion series gives
 *   ±Infinity or NaN Sharpe (mean/0), like empyrical.
 * informationRatio = mean(r − b)/std(r − b, ddof 1)·√periodsPerYear (DESIGN.md; empyrical's
 * `excess_sharpe` annualised). winRate (not in empyrical) = share of non-NaN returns > 0.
 */
import { opt, Panel, readOptions } from "../data/index.js";

/** Options shared by the annualised metrics. */
export interface MetricOptions {
  /** Periods per year (default 252). */
  periodsPerYear?: number;
}

type Series = Float64Array | readonly number[];

/**
 * A return series that has a value ≤ −1 (a book that lost everything) or ±Infinity is refused,
 * naming the period: no metric is computed over a bankrupt book. NaN stays empyrical's missing period.
 */
function solvent(r: Float64Array, where: string, name: string): Float64Array {
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    if (v <= -1 || v === Infinity) {
      throw new RangeError(`${where}: ${name}[${i}] is ${v}; no metric is computed over ${v === Infinity ? "an infinite return" : "a bankrupt book (a return ≤ −100%)"} — end the series before that period`);
    }
  }
  return r;
}

function asF64(x: Series, where: string, name = "returns"): Float64Array {
  if (x instanceof Float64Array) return solvent(x, where, name);
  if (Array.isArray(x)) return solvent(Float64Array.from(x), where, name);
  if ((x as unknown) instanceof Panel) throw new TypeError(`${where}: pass one ${name} series (panel.column(asset)), not a Panel`);
  throw new TypeError(`${where}: ${name} must be a Float64Array or number[]`);
}

// The option rules of the metrics, read with the one option helper (unknown keys are errors).
const PERIODS = { periodsPerYear: opt.number(252, { min: 0, open: "min" }) };
const SHARPE = { ...PERIODS, riskFree: opt.number(0) };
const SORTINO = { ...PERIODS, requiredReturn: opt.number(0) };
const ROLLING_SHARPE = { ...SHARPE, minPeriods: opt.optional(opt.integer(2)) };

/** Periods per year of `options` (of a metric taking only that option). */
function ppy(options: MetricOptions | undefined, where: string): number {
  return readOptions(where, options, PERIODS).periodsPerYear;
}

function nanMeanOf(x: Float64Array): number {
  let s = 0, c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v === v) (s += v), c++;
  }
  return c ? s / c : Number.NaN;
}

function nanStdOf(x: Float64Array, ddof = 1): number {
  const m = nanMeanOf(x);
  let s = 0, c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v === v) (s += (v - m) * (v - m)), c++;
  }
  return c - ddof > 0 ? Math.sqrt(s / (c - ddof)) : Number.NaN;
}

/** empyrical `_zero_dispersion_std`: exactly 0 when all non-NaN values are equal. */
function dispersionStd(x: Float64Array): number {
  const sd = nanStdOf(x, 1);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v === v) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo === hi && Number.isFinite(sd) ? 0 : sd;
}

function lengthsMatch(a: Float64Array, b: Float64Array, where: string): void {
  if (a.length !== b.length) throw new RangeError(`${where}: returns has ${a.length} periods but the benchmark has ${b.length}; align them first`);
}

/** Compounded cumulative returns (empyrical `cum_returns`, NaN treated as 0); `startingValue` 0 gives returns, else wealth. */
export function cumulativeReturns(returns: Series, startingValue = 0): Float64Array {
  const r = asF64(returns, "cumulativeReturns");
  const out = new Float64Array(r.length);
  let w = 1;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    w *= 1 + (v === v ? v : 0);
    out[i] = startingValue === 0 ? w - 1 : w * startingValue;
  }
  return out;
}

/** Final compounded return (empyrical `cum_returns_final`; NaN ignored). */
export function cumulativeReturn(returns: Series): number {
  const r = asF64(returns, "cumulativeReturn");
  if (r.length === 0) return Number.NaN;
  let w = 1;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    if (v === v) w *= 1 + v;
  }
  return w - 1;
}

/** Drawdown from the running peak of wealth (starting at 1) at each period (≤ 0), empyrical's `drawdown_series`. */
export function drawdownSeries(returns: Series): Float64Array {
  const r = asF64(returns, "drawdownSeries");
  const out = new Float64Array(r.length);
  let w = 100;
  let peak = 100;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    w *= 1 + (v === v ? v : 0);
    if (w > peak) peak = w;
    out[i] = (w - peak) / peak;
  }
  return out;
}

/** Maximum drawdown, a negative number (empyrical `max_drawdown`); NaN for an empty series. */
export function maxDrawdown(returns: Series): number {
  const dd = drawdownSeries(returns);
  if (dd.length === 0) return Number.NaN;
  let m = Infinity;
  for (let i = 0; i < dd.length; i++) if (dd[i]! < m) m = dd[i]!;
  return m;
}

/** Compound annual growth rate (empyrical `annual_return`): (Π(1+r))^(periodsPerYear/n) − 1, n counting NaN periods. */
export function annualReturn(returns: Series, options?: MetricOptions): number {
  const r = asF64(returns, "annualReturn");
  const p = ppy(options, "annualReturn");
  if (r.length < 1) return Number.NaN;
  const years = r.length / p;
  return (1 + cumulativeReturn(r)) ** (1 / years) - 1;
}

/** Annualised volatility: nanstd(ddof 1)·√periodsPerYear (empyrical `annual_volatility`). */
export function annualVolatility(returns: Series, options?: MetricOptions): number {
  const r = asF64(returns, "annualVolatility");
  const p = ppy(options, "annualVolatility");
  if (r.length < 2) return Number.NaN;
  return nanStdOf(r, 1) * Math.sqrt(p);
}

/** Options of {@link sharpeRatio}. */
export interface SharpeOptions extends MetricOptions {
  /** Per-period risk-free rate subtracted first (default 0). */
  riskFree?: number;
}

/** Sharpe ratio mean(r − rf)/std(r − rf, ddof 1)·√periodsPerYear (empyrical `sharpe_ratio`). */
export function sharpeRatio(returns: Series, options: SharpeOptions = {}): number {
  const r0 = asF64(returns, "sharpeRatio");
  const { periodsPerYear, riskFree: rf } = readOptions("sharpeRatio", options, SHARPE);
  if (r0.length < 2) return Number.NaN;
  const r = rf === 0 ? r0 : r0.map((v) => v - rf);
  return (nanMeanOf(r) / dispersionStd(r)) * Math.sqrt(periodsPerYear);
}

/** Options of {@link sortinoRatio}. */
export interface SortinoOptions extends MetricOptions {
  /** Minimum acceptable per-period return (default 0). */
  requiredReturn?: number;
}

/** Annualised downside deviation √mean(min(r − req, 0)²)·√periodsPerYear (empyrical `downside_risk`). */
export function downsideRisk(returns: Series, options: SortinoOptions = {}): number {
  const r = asF64(returns, "downsideRisk");
  const { periodsPerYear, requiredReturn: req } = readOptions("downsideRisk", options, SORTINO);
  if (r.length < 1) return Number.NaN;
  return downsideOf(r, req, periodsPerYear);
}

/**
 * downsideRisk of a checked series, from plain numbers: sortinoRatio calls it directly (before, it
 * passed its options object to downsideRisk, and V8 dropped the optimised code that embedded it at
 * every full collection — "weak objects" — and recompiled it on the next calls).
 */
function downsideOf(r: Float64Array, req: number, periodsPerYear: number): number {
  let s = 0, c = 0;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    if (v !== v) continue;
    const d = Math.min(v - req, 0);
    s += d * d;
    c++;
  }
  return (c ? Math.sqrt(s / c) : Number.NaN) * Math.sqrt(periodsPerYear);
}

/** Sortino ratio mean(r − req)·periodsPerYear / downsideRisk (empyrical `sortino_ratio`). */
export function sortinoRatio(returns: Series, options: SortinoOptions = {}): number {
  const r = asF64(returns, "sortinoRatio");
  const o = readOptions("sortinoRatio", options, SORTINO);
  if (r.length < 2) return Number.NaN;
  const req = o.requiredReturn;
  const adj = req === 0 ? r : r.map((v) => v - req);
  return (nanMeanOf(adj) * o.periodsPerYear) / downsideOf(r, req, o.periodsPerYear);
}

/** Calmar ratio annualReturn / |maxDrawdown| (empyrical `calmar_ratio`); NaN without a drawdown. */
export function calmarRatio(returns: Series, options?: MetricOptions): number {
  const r = asF64(returns, "calmarRatio");
  ppy(options, "calmarRatio");
  const mdd = maxDrawdown(r);
  if (!(mdd < 0)) return Number.NaN;
  const v = annualReturn(r, options) / Math.abs(mdd);
  return Number.isFinite(v) ? v : Number.NaN;
}

/** Information ratio mean(r − b)/std(r − b, ddof 1)·√periodsPerYear over periods where both exist (DESIGN.md). */
export function informationRatio(returns: Series, benchmark: Series, options?: MetricOptions): number {
  const r = asF64(returns, "informationRatio");
  const b = asF64(benchmark, "informationRatio", "benchmark");
  lengthsMatch(r, b, "informationRatio");
  const p = ppy(options, "informationRatio");
  if (r.length < 2) return Number.NaN;
  const active = r.map((v, i) => v - b[i]!);
  return (nanMeanOf(active) / dispersionStd(active)) * Math.sqrt(p);
}

/** CAPM beta cov(r, b)/var(b) over periods where both exist (empyrical `beta`); NaN if var(b) < 1e-30. */
export function beta(returns: Series, benchmark: Series): number {
  const r = asF64(returns, "beta");
  const b = asF64(benchmark, "beta", "benchmark");
  lengthsMatch(r, b, "beta");
  if (r.length < 1 || b.length < 2) return Number.NaN;
  let sb = 0, c = 0;
  for (let i = 0; i < r.length; i++) {
    const x = b[i]!, y = r[i]!;
    if (x === x && y === y) (sb += x), c++;
  }
  if (c === 0) return Number.NaN;
  const mb = sb / c;
  let cov = 0, vb = 0;
  for (let i = 0; i < r.length; i++) {
    const x = b[i]!, y = r[i]!;
    if (x === x && y === y) {
      const d = x - mb;
      cov += d * y;
      vb += d * d;
    }
  }
  cov /= c;
  vb /= c;
  return vb < 1e-30 ? Number.NaN : cov / vb;
}

/** Options of {@link alpha}. */
export interface AlphaOptions extends MetricOptions {
  /** Per-period risk-free rate (default 0). */
  riskFree?: number;
}

/** Annualised CAPM alpha (1 + mean(r − rf − β(b − rf)))^periodsPerYear − 1 (empyrical `alpha`). */
export function alpha(returns: Series, benchmark: Series, options: AlphaOptions = {}): number {
  const r = asF64(returns, "alpha");
  const b = asF64(benchmark, "alpha", "benchmark");
  lengthsMatch(r, b, "alpha");
  const { periodsPerYear, riskFree: rf } = readOptions("alpha", options, SHARPE);
  if (r.length < 2) return Number.NaN;
  const bt = beta(r, b);
  const series = r.map((v, i) => v - rf - bt * (b[i]! - rf));
  return (nanMeanOf(series) + 1) ** periodsPerYear - 1;
}

/** Share of non-NaN periods with a strictly positive return (NaN when none). */
export function winRate(returns: Series): number {
  const r = asF64(returns, "winRate");
  let w = 0, c = 0;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    if (v === v) {
      c++;
      if (v > 0) w++;
    }
  }
  return c ? w / c : Number.NaN;
}

function percentile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!, b = sorted[hi]!;
  const g = h - lo;
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/** |95th percentile| / |5th percentile| of non-NaN returns (empyrical `tail_ratio`). */
export function tailRatio(returns: Series): number {
  const r = asF64(returns, "tailRatio");
  const s = r.filter((v) => v === v).sort();
  if (s.length < 1) return Number.NaN;
  return Math.abs(percentile(s, 0.95)) / Math.abs(percentile(s, 0.05));
}

/** R² of a linear fit of cumulative log returns on time, NaN dropped (empyrical `stability_of_timeseries`). */
export function stabilityOfTimeseries(returns: Series): number {
  const r0 = asF64(returns, "stabilityOfTimeseries");
  if (r0.length < 2) return Number.NaN;
  const r = r0.filter((v) => v === v);
  const n = r.length;
  if (n < 2) return Number.NaN;
  const y = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) y[i] = s += Math.log1p(r[i]!);
  const mx = (n - 1) / 2;
  let my = 0;
  for (let i = 0; i < n; i++) my += y[i]!;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = i - mx, dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0; // scipy linregress sets r = 0 for a constant series
  let rho = sxy / Math.sqrt(sxx * syy);
  rho = Math.max(-1, Math.min(1, rho));
  return rho * rho;
}

/** Options of {@link rollingSharpe}. */
export interface RollingSharpeOptions extends SharpeOptions {
  /** Minimum observations for a value (default: the window, so a NaN in the window gives NaN). */
  minPeriods?: number;
}

/**
 * Trailing-window Sharpe ratio, same length as the input, NaN until the window is full
 * (pyfolio `rolling_sharpe`: rolling mean / rolling std(ddof 1) · √periodsPerYear).
 */
export function rollingSharpe(returns: Series, window: number, options: RollingSharpeOptions = {}): Float64Array {
  const r0 = asF64(returns, "rollingSharpe");
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`rollingSharpe: window must be an integer ≥ 2, got ${window}`);
  const o = readOptions("rollingSharpe", options, ROLLING_SHARPE);
  const minp = o.minPeriods ?? window;
  if (!Number.isInteger(minp) || minp < 2 || minp > window) throw new RangeError(`rollingSharpe: minPeriods must be an integer in [2, window], got ${o.minPeriods}`);
  const rf = o.riskFree;
  const r = rf === 0 ? r0 : r0.map((v) => v - rf);
  const k = Math.sqrt(o.periodsPerYear);
  const n = r.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (!hasNaN(r)) return rollingSharpeComplete(r, window, minp, k, out);
  for (let i = 0; i < n; i++) {
    // exact two-pass per window: windows are short (≤ a few hundred) and this is not a hot path
    const lo = Math.max(0, i - window + 1);
    let s = 0, c = 0;
    for (let t = lo; t <= i; t++) {
      const v = r[t]!;
      if (v === v) (s += v), c++;
    }
    if (c < minp) continue;
    const m = s / c;
    let ss = 0;
    for (let t = lo; t <= i; t++) {
      const v = r[t]!;
      if (v === v) ss += (v - m) * (v - m);
    }
    out[i] = (m / Math.sqrt(ss / (c - 1))) * k;
  }
  return out;
}

function hasNaN(r: Float64Array): boolean {
  for (let i = 0; i < r.length; i++) if (r[i] !== r[i]) return true;
  return false;
}

/**
 * rollingSharpe of a series without NaN: the same two passes per window, the same additions in the
 * same order (so the same bits), without the per-value NaN test and count (≈ 25 % less time).
 */
function rollingSharpeComplete(r: Float64Array, window: number, minp: number, k: number, out: Float64Array): Float64Array {
  for (let i = minp - 1; i < r.length; i++) {
    const lo = Math.max(0, i - window + 1);
    const c = i - lo + 1;
    let s = 0;
    for (let t = lo; t <= i; t++) s += r[t]!;
    const m = s / c;
    let ss = 0;
    for (let t = lo; t <= i; t++) {
      const d = r[t]! - m;
      ss += d * d;
    }
    out[i] = (m / Math.sqrt(ss / (c - 1))) * k;
  }
  return out;
}
