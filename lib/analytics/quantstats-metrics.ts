/**
 * `quantstatsMetrics(returns, dates, options)`: the metrics quantstats 0.0.86 prints in its full report
 * (`qs.reports.metrics(mode="full")`), each computed as quantstats computes it (checked against its
 * `qs.stats` functions in test/analytics/quantstats.peer.test.ts), plus its five-worst-drawdowns table,
 * rolling Sharpe / Sortino / volatility (126 days) and the monthly returns table.
 *
 * Conventions (quantstats'): returns are simple per-period returns; Sharpe, Sortino, smart variants,
 * probabilistic Sharpe and Omega use excess returns over the risk-free rate (`riskFree`: an annual
 * rate or a series of annual rates, each converted as (1 + rf)^(1/periodsPerYear) − 1 — the cash
 * benchmark of a market-neutral book); every other metric uses the raw returns. CAGR is (1 + total)^(periods/n) − 1;
 * volatility and Sharpe use the sample std (ddof 1); skew and kurtosis are pandas' bias-corrected ones;
 * drawdowns are measured from a starting equity of 1 (a phantom day before the first); drawdown
 * lengths are calendar days, start to last day under water, inclusive; months and years compound;
 * win rates count non-zero periods only; VaR and expected shortfall are lib/risk's Gaussian ones at 95 %,
 * signed as returns.
 */
import { fromEpochDay } from "../data/index.js";
import { expectedShortfall, valueAtRisk } from "../risk/index.js";
import { kurtosis as kurtosisOf, mean, normalCdf, quantileSorted, skewness, stdDev } from "../stats/index.js";

/** Options of {@link quantstatsMetrics}. */
export interface QuantstatsOptions {
  /**
   * Risk-free rate, annual (quantstats' convention): a constant, or a series of annual rates, one per
   * period, each converted to (1 + rf)^(1/periodsPerYear) − 1 (default 0: cash earning nothing).
   * A daily rate such as Fama-French's RF is annualised first: (1 + rf_daily)^periodsPerYear − 1.
   */
  riskFree?: number | ArrayLike<number>;
  /** Periods per year (default 252). */
  periodsPerYear?: number;
  /** Rolling window of the rolling ratios (default 126, quantstats' six months). */
  rollingWindow?: number;
}

/** One drawdown of {@link QuantstatsReport.drawdowns}. */
export interface DrawdownPeriod {
  readonly start: string;
  readonly valley: string;
  /** Last day under water (the series' last date if not recovered). */
  readonly end: string;
  /** First day back at the previous peak, or null if not recovered. */
  readonly recovery: string | null;
  /** Calendar days from start to end, inclusive. */
  readonly days: number;
  /** Depth, negative (−0.12 = −12 %). */
  readonly depth: number;
}

/** The metrics of quantstats' full report (fractions, not percent). */
export interface QuantstatsMetrics {
  readonly cumulativeReturn: number; readonly cagr: number; readonly sharpe: number; readonly probabilisticSharpe: number;
  readonly smartSharpe: number; readonly sortino: number; readonly smartSortino: number; readonly sortinoOverSqrt2: number;
  readonly omega: number; readonly maxDrawdown: number; readonly longestDrawdownDays: number; readonly volatility: number;
  readonly calmar: number; readonly skew: number; readonly kurtosis: number; readonly expectedDaily: number;
  readonly expectedMonthly: number; readonly expectedYearly: number; readonly kelly: number; readonly riskOfRuin: number;
  readonly valueAtRisk: number; readonly expectedShortfall: number; readonly maxConsecutiveWins: number; readonly maxConsecutiveLosses: number;
  readonly gainToPain: number; readonly payoffRatio: number; readonly profitFactor: number; readonly commonSenseRatio: number;
  readonly cpcIndex: number; readonly tailRatio: number; readonly outlierWinRatio: number; readonly outlierLossRatio: number;
  readonly bestDay: number; readonly worstDay: number; readonly bestMonth: number; readonly worstMonth: number;
  readonly bestYear: number; readonly worstYear: number; readonly avgDrawdown: number; readonly avgDrawdownDays: number;
  readonly recoveryFactor: number; readonly ulcerIndex: number; readonly serenityIndex: number; readonly avgUpMonth: number;
  readonly avgDownMonth: number; readonly winDays: number; readonly winMonths: number; readonly winQuarters: number;
  readonly winYears: number; readonly exposure: number;
}

/** Result of {@link quantstatsMetrics}. */
export interface QuantstatsReport {
  readonly metrics: QuantstatsMetrics;
  /** Every drawdown, deepest first (quantstats' table shows the first five). */
  readonly drawdowns: readonly DrawdownPeriod[];
  /** Drawdown from the running peak per date (≤ 0). */
  readonly drawdownSeries: Float64Array;
  readonly rollingSharpe: Float64Array;
  readonly rollingSortino: Float64Array;
  readonly rollingVolatility: Float64Array;
  /** Compounded return per calendar month: rows by year, 12 months (NaN where no data) and the year's total. */
  readonly monthly: readonly { readonly year: number; readonly months: Float64Array; readonly year_total: number }[];
}

const sum = (x: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]!; return s; };
const compound = (x: ArrayLike<number>): number => { let p = 1; for (let i = 0; i < x.length; i++) p *= 1 + x[i]!; return p - 1; };
/** numpy's round: halves to even. */
const roundHalfEven = (x: number): number => { const f = Math.floor(x); const d = x - f; return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f; };
const filt = (x: Float64Array, f: (v: number) => boolean): Float64Array => x.filter(f);

function checkInput(returns: ArrayLike<number>, dates: ArrayLike<number>, o: QuantstatsOptions): { r: Float64Array; d: Int32Array; rf: Float64Array; P: number; window: number } {
  const W = "quantstatsMetrics";
  if (returns === null || typeof returns !== "object" || typeof returns.length !== "number") throw new TypeError(`${W}: returns must be an array of per-period returns`);
  if (dates?.length !== returns.length) throw new RangeError(`${W}: dates has ${dates?.length} entries for ${returns.length} returns`);
  if (returns.length < 2) throw new RangeError(`${W}: needs at least 2 returns, got ${returns.length}`);
  const P = o.periodsPerYear ?? 252;
  if (!(P > 0)) throw new RangeError(`${W}: periodsPerYear must be > 0, got ${P}`);
  const window = o.rollingWindow ?? 126;
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`${W}: rollingWindow must be an integer ≥ 2, got ${window}`);
  const r = Float64Array.from(returns, (v) => (Number.isFinite(v) ? v : 0));
  let rf: Float64Array;
  if (o.riskFree === undefined || typeof o.riskFree === "number") {
    const a = o.riskFree ?? 0;
    if (!Number.isFinite(a) || a <= -1) throw new RangeError(`${W}: riskFree must be an annual rate > −1 or a per-period series, got ${a}`);
    rf = new Float64Array(r.length).fill(a === 0 ? 0 : (1 + a) ** (1 / P) - 1);
  } else {
    if (o.riskFree.length !== r.length) throw new RangeError(`${W}: riskFree has ${o.riskFree.length} values for ${r.length} returns`);
    rf = Float64Array.from(o.riskFree, (a, i) => {
      if (!(a > -1)) throw new RangeError(`${W}: riskFree[${i}] must be an annual rate > −1, got ${a}`);
      return (1 + a) ** (1 / P) - 1;
    });
  }
  return { r, d: Int32Array.from(dates), rf, P, window };
}

/** Compounded returns per (year, month) / (year, quarter) / year, in date order. */
function aggregate(r: Float64Array, d: Int32Array, key: (iso: string) => string): Float64Array {
  const out: number[] = [];
  let cur = "";
  let p = 1;
  for (let i = 0; i < r.length; i++) {
    const k = key(fromEpochDay(d[i]!));
    if (i > 0 && k !== cur) (out.push(p - 1), (p = 1));
    cur = k;
    p *= 1 + r[i]!;
  }
  out.push(p - 1);
  return Float64Array.from(out);
}
const month = (s: string): string => s.slice(0, 7);
const quarter = (s: string): string => `${s.slice(0, 4)}Q${Math.floor((Number(s.slice(5, 7)) - 1) / 3)}`;
const year = (s: string): string => s.slice(0, 4);

function winRate(x: Float64Array): number {
  const nz = filt(x, (v) => v !== 0).length;
  return nz === 0 ? 0 : filt(x, (v) => v > 0).length / nz;
}

function maxRun(x: Float64Array, f: (v: number) => boolean): number {
  let best = 0;
  let run = 0;
  for (const v of x) (run = f(v) ? run + 1 : 0), (best = Math.max(best, run));
  return best;
}

/** Drawdown from the running peak of equity starting at 1. */
export function drawdownSeries(r: Float64Array): Float64Array {
  let eq = 1;
  let peak = 1;
  return Float64Array.from(r, (v) => {
    eq *= 1 + v;
    peak = Math.max(peak, eq);
    const dd = eq / peak - 1;
    return dd === 0 ? 0 : dd;
  });
}

/** Every drawdown (start, valley, last day under water, recovery), deepest first. */
function drawdownPeriods(dd: Float64Array, d: Int32Array): DrawdownPeriod[] {
  const out: DrawdownPeriod[] = [];
  let i = 0;
  while (i < dd.length) {
    if (dd[i] === 0) { i++; continue; }
    const s = i;
    let v = i;
    while (i < dd.length && dd[i] !== 0) { if (dd[i]! < dd[v]!) v = i; i++; }
    const e = i - 1;
    out.push({ start: fromEpochDay(d[s]!), valley: fromEpochDay(d[v]!), end: fromEpochDay(d[e]!), recovery: i < dd.length ? fromEpochDay(d[i]!) : null, days: d[e]! - d[s]! + 1, depth: dd[v]! });
  }
  return out.sort((a, b) => a.depth - b.depth);
}

function rolling(r: Float64Array, w: number, f: (x: Float64Array) => number): Float64Array {
  return Float64Array.from(r, (_, i) => (i + 1 < w ? Number.NaN : f(r.subarray(i + 1 - w, i + 1))));
}

function ratios(ex: Float64Array, raw: Float64Array, P: number) {
  const sd = stdDev(ex, 1);
  const sr = mean(ex) / sd;
  const down = Math.sqrt(sum(Float64Array.from(filt(ex, (v) => v < 0), (v) => v * v)) / ex.length);
  const so = down === 0 ? Number.NaN : mean(ex) / down;
  const pen = autocorrPenalty(ex);
  const sk = skewness(raw, false);
  const ku = kurtosisOf(raw, true, false) + 3;
  const psr = normalCdf(sr / Math.sqrt((1 - sk * sr + ((ku - 1) / 4) * sr * sr) / (raw.length - 1)));
  const gain = sum(filt(ex, (v) => v > 0));
  const loss = -sum(filt(ex, (v) => v < 0));
  return { sharpe: sr * Math.sqrt(P), smartSharpe: (sr / pen) * Math.sqrt(P), sortino: so * Math.sqrt(P), smartSortino: (so / pen) * Math.sqrt(P), psr, omega: loss > 0 ? gain / loss : Number.NaN };
}

/** quantstats' autocorrelation penalty √(1 + 2 Σ_{x=1}^{n−1} (n − x)/n ρ^x), ρ = |lag-1 autocorrelation|. */
function autocorrPenalty(x: Float64Array): number {
  const n = x.length;
  const a = x.subarray(0, n - 1);
  const b = x.subarray(1);
  const ma = mean(a), mb = mean(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n - 1; i++) (sab += (a[i]! - ma) * (b[i]! - mb)), (saa += (a[i]! - ma) ** 2), (sbb += (b[i]! - mb) ** 2);
  const rho = Math.abs(sab / Math.sqrt(saa * sbb));
  if (!Number.isFinite(rho)) return 1;
  let s = 0;
  let pw = 1;
  for (let k = 1; k < n; k++) (pw *= rho), (s += ((n - k) / n) * pw);
  return Math.sqrt(1 + 2 * s);
}

function tradeRatios(r: Float64Array) {
  const sorted = Float64Array.from(r).sort();
  const q = (p: number): number => quantileSorted(sorted, p);
  const wins = filt(r, (v) => v > 0);
  const losses = filt(r, (v) => v < 0);
  const avgWin = mean(wins);
  const avgLoss = mean(losses);
  const payoff = avgLoss === 0 ? Number.NaN : avgWin / Math.abs(avgLoss);
  const lossSum = Math.abs(sum(losses));
  const winSum = sum(filt(r, (v) => v >= 0));
  const profitFactor = lossSum === 0 ? (winSum === 0 ? 0 : Infinity) : winSum / lossSum;
  const tail = q(0.05) === 0 ? Number.NaN : Math.abs(q(0.95) / q(0.05));
  const w = winRate(r);
  return {
    payoffRatio: payoff, profitFactor, tailRatio: tail, commonSenseRatio: profitFactor * tail, cpcIndex: profitFactor * w * payoff,
    kelly: payoff === 0 || Number.isNaN(payoff) ? Number.NaN : (payoff * w - (1 - w)) / payoff,
    outlierWinRatio: q(0.99) / mean(filt(r, (v) => v >= 0)), outlierLossRatio: q(0.01) / avgLoss,
    gainToPain: lossSum === 0 ? Number.NaN : sum(r) / lossSum, riskOfRuin: ((1 - w) / (1 + w)) ** r.length, winDays: w,
  };
}

/** Gaussian 95 % VaR and expected shortfall as returns (negative = loss): lib/risk's, with quantstats' sign. */
function gaussianTail(x: Float64Array): { valueAtRisk: number; expectedShortfall: number } {
  const o = { method: "gaussian", confidence: 0.95 } as const;
  return { valueAtRisk: -valueAtRisk(x, o), expectedShortfall: -expectedShortfall(x, o) };
}

/** quantstats' full-report metrics, drawdown table, rolling ratios and monthly table. */
export function quantstatsMetrics(returns: ArrayLike<number>, dates: ArrayLike<number>, options: QuantstatsOptions = {}): QuantstatsReport {
  const { r, d, rf, P, window } = checkInput(returns, dates, options);
  const ex = Float64Array.from(r, (v, i) => v - rf[i]!);
  const dd = drawdownSeries(r);
  const periods = drawdownPeriods(dd, d);
  const maxDD = Math.min(0, ...dd);
  const total = compound(r);
  const cagr = (1 + total) ** (1 / (r.length / P)) - 1;
  const months = aggregate(r, d, month);
  const years = aggregate(r, d, year);
  const ulcer = Math.sqrt(sum(Float64Array.from(dd, (v) => v * v)) / (r.length - 1));
  const ddTail = gaussianTail(dd).expectedShortfall;
  const rt = ratios(ex, r, P);
  const metrics: QuantstatsMetrics = Object.freeze({
    cumulativeReturn: total, cagr, sharpe: rt.sharpe, probabilisticSharpe: rt.psr, smartSharpe: rt.smartSharpe, sortino: rt.sortino,
    smartSortino: rt.smartSortino, sortinoOverSqrt2: rt.sortino / Math.SQRT2, omega: rt.omega, maxDrawdown: maxDD,
    longestDrawdownDays: periods.length ? Math.max(...periods.map((p) => p.days)) : 0, volatility: stdDev(r, 1) * Math.sqrt(P),
    calmar: cagr / Math.abs(maxDD), skew: skewness(r, false), kurtosis: kurtosisOf(r, true, false),
    expectedDaily: (1 + total) ** (1 / r.length) - 1, expectedMonthly: (1 + total) ** (1 / months.length) - 1, expectedYearly: (1 + total) ** (1 / years.length) - 1,
    ...tradeRatios(r), ...gaussianTail(r),
    maxConsecutiveWins: maxRun(r, (v) => v > 0), maxConsecutiveLosses: maxRun(r, (v) => v < 0),
    bestDay: Math.max(...r), worstDay: Math.min(...r), bestMonth: Math.max(...months), worstMonth: Math.min(...months), bestYear: Math.max(...years), worstYear: Math.min(...years),
    avgDrawdown: mean(periods.map((p) => p.depth)), avgDrawdownDays: roundHalfEven(mean(periods.map((p) => p.days))),
    recoveryFactor: maxDD === 0 ? Number.NaN : Math.abs(sum(r)) / Math.abs(maxDD), ulcerIndex: ulcer,
    serenityIndex: sum(r) / (ulcer * (-ddTail / stdDev(r, 1))),
    avgUpMonth: mean(filt(months, (v) => v > 0)), avgDownMonth: mean(filt(months, (v) => v < 0)),
    winMonths: winRate(months), winQuarters: winRate(aggregate(r, d, quarter)), winYears: winRate(years),
    exposure: Math.ceil((filt(r, (v) => v !== 0).length / r.length) * 100) / 100,
  });
  return Object.freeze({
    metrics, drawdowns: Object.freeze(periods), drawdownSeries: dd,
    rollingSharpe: rolling(ex, window, (x) => (mean(x) / stdDev(x, 1)) * Math.sqrt(P)),
    rollingSortino: rolling(ex, window, (x) => (mean(x) / Math.sqrt(sum(Float64Array.from(filt(x, (v) => v < 0), (v) => v * v)) / window)) * Math.sqrt(P)),
    rollingVolatility: rolling(r, window, (x) => stdDev(x, 1) * Math.sqrt(P)),
    monthly: monthlyTable(r, d),
  });
}

function monthlyTable(r: Float64Array, d: Int32Array): QuantstatsReport["monthly"] {
  const rows = new Map<number, { months: Float64Array; growth: number }>();
  for (let i = 0; i < r.length; i++) {
    const iso = fromEpochDay(d[i]!);
    const y = Number(iso.slice(0, 4));
    const m = Number(iso.slice(5, 7)) - 1;
    let row = rows.get(y);
    if (row === undefined) rows.set(y, (row = { months: new Float64Array(12).fill(Number.NaN), growth: 1 }));
    row.months[m] = (Number.isNaN(row.months[m]!) ? 1 : 1 + row.months[m]!) * (1 + r[i]!) - 1;
    row.growth *= 1 + r[i]!;
  }
  return Object.freeze([...rows.entries()].map(([y, v]) => Object.freeze({ year: y, months: v.months, year_total: v.growth - 1 })));
}
