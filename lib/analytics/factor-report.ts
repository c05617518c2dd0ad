/**
 * `factorReport(scores, prices, options)`: the factor analysis of alphalens(-reloaded) 0.5.1 as typed
 * results — IC (Pearson) and rank IC (Spearman) by horizon with their summary statistics and
 * t-statistics, IC decay, mean forward return by factor quantile with standard errors, the
 * top-minus-bottom spread, quantile turnover and factor rank autocorrelation, and the
 * sector-neutral variant. `factorReportHtml` renders it (./factor-report-html.ts).
 *
 * Conventions, each alphalens-reloaded 0.5.1's (checked against it in test/analytics/factor-report.peer.test.ts):
 * - forward return of horizon p at date t: P(t+p)/P(t) − 1 on forward-filled closes (cumulative, no z-score filter);
 * - the sample is every (date, asset) with a finite score and finite forward returns at every horizon
 *   (alphalens' dropna), so the last max(periods) dates drop out;
 * - quantiles per date (per date and group when sector-neutral): pandas `qcut` — edges at the linear
 *   quantiles k/q of the day's scores, bins right-closed, the lowest value in bin 1; tied edges are an error;
 * - returns are demeaned by the date's mean over the sample (by date and group when sector-neutral);
 *   IC per date is Spearman (rank IC, alphalens' "IC") and Pearson (IC) of scores and those returns;
 * - IC statistics: mean, std (ddof 1), mean/std, one-sample t-test against 0, skew and excess kurtosis (biased);
 * - mean return by quantile: the mean over dates of each date's equal-weighted quantile mean, its standard
 *   error the std (ddof 1) of those daily means over √(dates);
 * - spread: (top − bottom)/2 per date — a 100 %-gross book, alphalens-reloaded's convention — and its
 *   per-date joint standard error √(se_top² + se_bottom²)/2;
 * - quantile turnover at lag p: the share of a quantile's names at t that were not in it p dates earlier;
 * - rank autocorrelation at lag p: Pearson correlation of the day's score ranks with those p dates earlier.
 */
import { type Panel, opt, readOptions, fromEpochDay } from "../data/index.js";
import { rankAverage } from "../features/index.js";
import { correlation, kurtosis, mean, quantileSorted, skewness, stdDev, studentTTwoSided } from "../stats/index.js";

/** Options of {@link factorReport}. */
export interface FactorReportOptions {
  /** Forward-return horizons in rows (default [1, 5, 10]). */
  periods?: readonly number[];
  /** Number of quantiles (default 5). */
  quantiles?: number;
  /** One group label per asset (e.g. sectors); needed for `groupNeutral`. */
  groups?: readonly string[];
  /** Sector-neutral: quantiles within each date and group, returns demeaned by date and group (default false). */
  groupNeutral?: boolean;
}

/** Summary of a per-date IC series (alphalens' IC table). */
export interface ICStats {
  readonly mean: number;
  readonly std: number;
  readonly riskAdjusted: number;
  readonly tStat: number;
  readonly pValue: number;
  readonly skew: number;
  readonly kurtosis: number;
  readonly count: number;
}

/** One horizon of a {@link FactorReport}. */
export interface FactorReportPeriod {
  readonly period: number;
  /** Pearson IC per sample date. */
  readonly ic: Float64Array;
  /** Spearman rank IC per sample date (alphalens' "IC"). */
  readonly rankIC: Float64Array;
  readonly icStats: ICStats;
  readonly rankICStats: ICStats;
  /** Per quantile: mean over dates of the daily mean (demeaned) forward return. */
  readonly quantileMean: Float64Array;
  /** Per quantile: std (ddof 1) of the daily means / √(dates). */
  readonly quantileStdError: Float64Array;
  /** Per quantile, per sample date: the mean (demeaned) forward return (NaN when the quantile is empty). */
  readonly quantileMeanByDate: readonly Float64Array[];
  /** (top − bottom)/2 per sample date. */
  readonly spread: Float64Array;
  /** √(se_top² + se_bottom²)/2 per sample date. */
  readonly spreadStdError: Float64Array;
  /** Mean of the spread series, and its t-statistic (mean / (std/√n)). */
  readonly spreadMean: number;
  readonly spreadTStat: number;
  /** Per quantile: mean turnover at lag `period`. */
  readonly turnover: Float64Array;
  /** Per quantile, per sample date: turnover at lag `period` (NaN for the first `period` dates). */
  readonly turnoverByDate: readonly Float64Array[];
  /** Rank autocorrelation at lag `period` per sample date, and its mean. */
  readonly rankAutocorrelation: Float64Array;
  readonly meanRankAutocorrelation: number;
}

/** Result of {@link factorReport}. */
export interface FactorReport {
  /** The sample's dates (epoch days): those with at least one scored asset with every forward return. */
  readonly dates: Int32Array;
  readonly assets: readonly string[];
  readonly quantiles: number;
  readonly groupNeutral: boolean;
  /** (date, asset) observations in the sample. */
  readonly observations: number;
  readonly periods: readonly FactorReportPeriod[];
  /** IC decay: mean IC and rank IC by horizon. */
  readonly icDecay: readonly { readonly period: number; readonly ic: number; readonly rankIC: number }[];
}

/** One sample date: its assets, scores, forward returns (per horizon), groups and quantile labels. */
interface Day {
  readonly row: number;
  readonly members: Int32Array;
  readonly score: Float64Array;
  readonly fwd: Float64Array[];
  readonly group: Int32Array;
  readonly quantile: Int32Array;
}

const isPeriods = (v: unknown): v is readonly number[] => Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x) && x >= 1);
const isLabels = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function resolve(scores: Panel, prices: Panel, options: FactorReportOptions | undefined) {
  const W = "factorReport";
  const o = readOptions(W, options, {
    periods: opt.custom("a non-empty array of integers ≥ 1", () => [1, 5, 10] as readonly number[], isPeriods, "range"),
    quantiles: opt.integer(5, { min: 2 }),
    groups: opt.optional(opt.custom("an array of group labels, one per asset", () => [] as readonly string[], isLabels)),
    groupNeutral: opt.boolean(false),
  });
  if (scores?.nDates !== prices?.nDates || scores.nAssets !== prices.nAssets) {
    throw new RangeError(`${W}: scores (${scores?.nDates} × ${scores?.nAssets}) and prices (${prices?.nDates} × ${prices?.nAssets}) must cover the same dates and assets`);
  }
  for (let j = 0; j < scores.nAssets; j++) if (scores.assets[j] !== prices.assets[j]) throw new RangeError(`${W}: scores' asset ${j} is ${scores.assets[j]}, prices' ${prices.assets[j]}`);
  for (let i = 0; i < scores.nDates; i++) if (scores.dates[i] !== prices.dates[i]) throw new RangeError(`${W}: scores' and prices' dates differ at row ${i}`);
  if (o.groups !== undefined && o.groups.length !== scores.nAssets) throw new RangeError(`${W}: groups has ${o.groups.length} labels for ${scores.nAssets} assets`);
  if (o.groupNeutral && o.groups === undefined) throw new RangeError(`${W}: groupNeutral needs groups, one label per asset`);
  return { ...o, periods: [...o.periods].sort((a, b) => a - b) };
}

/** The factor analysis of `scores` (higher = expected to outperform) against forward returns of `prices`. */
export function factorReport(scores: Panel, prices: Panel, options?: FactorReportOptions): FactorReport {
  const o = resolve(scores, prices, options);
  const days = sampleDays(scores, prices, o.periods, o.groups);
  for (const d of days) assignQuantiles(d, o.quantiles, o.groupNeutral, prices.dates[d.row] as number);
  const nGroups = o.groups === undefined ? 1 : new Set(o.groups).size;
  const demeaned = days.map((d) => d.fwd.map((f) => demean(f, o.groupNeutral ? d.group : null, nGroups)));
  const periods = o.periods.map((p, k) => periodReport(days, demeaned, k, p, o.quantiles, scores.nAssets));
  let observations = 0;
  for (const d of days) observations += d.members.length;
  return Object.freeze({
    dates: Int32Array.from(days, (d) => prices.dates[d.row] as number),
    assets: scores.assets,
    quantiles: o.quantiles,
    groupNeutral: o.groupNeutral,
    observations,
    periods: Object.freeze(periods),
    icDecay: Object.freeze(periods.map((p) => Object.freeze({ period: p.period, ic: p.icStats.mean, rankIC: p.rankICStats.mean }))),
  });
}

/** Forward-filled closes, one column per asset. */
function forwardFilled(prices: Panel): Float64Array[] {
  return prices.columns.map((c) => {
    const out = Float64Array.from(c);
    for (let i = 1; i < out.length; i++) if (Number.isNaN(out[i] as number)) out[i] = out[i - 1] as number;
    return out;
  });
}

function sampleDays(scores: Panel, prices: Panel, periods: readonly number[], groups: readonly string[] | undefined): Day[] {
  const close = forwardFilled(prices);
  const labels = groups === undefined ? null : [...new Set(groups)];
  const groupOf = Int32Array.from({ length: scores.nAssets }, (_, j) => (labels === null ? 0 : labels.indexOf(groups![j] as string)));
  const days: Day[] = [];
  for (let t = 0; t < scores.nDates; t++) {
    const members: number[] = [];
    for (let j = 0; j < scores.nAssets; j++) {
      const s = (scores.columns[j] as Float64Array)[t] as number;
      if (!Number.isFinite(s)) continue;
      if (periods.every((p) => Number.isFinite(forwardReturn(close[j] as Float64Array, t, p)))) members.push(j);
    }
    if (members.length === 0) continue;
    const m = Int32Array.from(members);
    days.push({
      row: t,
      members: m,
      score: Float64Array.from(m, (j) => (scores.columns[j] as Float64Array)[t] as number),
      fwd: periods.map((p) => Float64Array.from(m, (j) => forwardReturn(close[j] as Float64Array, t, p))),
      group: Int32Array.from(m, (j) => groupOf[j] as number),
      quantile: new Int32Array(m.length),
    });
  }
  return days;
}

function forwardReturn(c: Float64Array, t: number, p: number): number {
  if (t + p >= c.length) return Number.NaN;
  return (c[t + p] as number) / (c[t] as number) - 1;
}

/** pandas qcut labels (1…q) of the day's scores, over all members or within each group. */
function assignQuantiles(d: Day, q: number, byGroup: boolean, date: number): void {
  const buckets = new Map<number, number[]>();
  for (let a = 0; a < d.members.length; a++) {
    const g = byGroup ? (d.group[a] as number) : 0;
    const b = buckets.get(g);
    if (b === undefined) buckets.set(g, [a]);
    else b.push(a);
  }
  for (const idx of buckets.values()) {
    const sorted = Float64Array.from(idx, (a) => d.score[a] as number).sort();
    const edges = Float64Array.from({ length: q + 1 }, (_, k) => quantileSorted(sorted, k / q));
    for (let k = 1; k <= q; k++) {
      if (!((edges[k] as number) > (edges[k - 1] as number))) throw new RangeError(`factorReport: on ${fromEpochDay(date)} the quantile edges of the scores are not unique (too many ties for ${q} quantiles)`);
    }
    for (const a of idx) {
      const v = d.score[a] as number;
      let below = 0;
      while (below <= q && (edges[below] as number) < v) below++;
      d.quantile[a] = Math.max(1, below);
    }
  }
}

/** x minus its mean (within each group when `group` is given). */
function demean(x: Float64Array, group: Int32Array | null, nGroups: number): Float64Array {
  const sum = new Float64Array(nGroups);
  const cnt = new Float64Array(nGroups);
  for (let a = 0; a < x.length; a++) {
    const g = group === null ? 0 : (group[a] as number);
    sum[g] = (sum[g] as number) + (x[a] as number);
    cnt[g] = (cnt[g] as number) + 1;
  }
  return Float64Array.from(x, (v, a) => {
    const g = group === null ? 0 : (group[a] as number);
    return v - (sum[g] as number) / (cnt[g] as number);
  });
}

/** alphalens' IC summary of a per-date series (NaN dates skipped). */
export function icStats(series: ArrayLike<number>): ICStats {
  const x = Float64Array.from(Array.from(series).filter((v) => !Number.isNaN(v)));
  const n = x.length;
  const m = mean(x);
  const sd = stdDev(x, 1);
  const t = m / (sd / Math.sqrt(n));
  return Object.freeze({ mean: m, std: sd, riskAdjusted: m / sd, tStat: t, pValue: n > 1 ? studentTTwoSided(t, n - 1) : Number.NaN, skew: skewness(x), kurtosis: kurtosis(x), count: n });
}

function spearmanOf(x: Float64Array, y: Float64Array): number {
  const rx = new Float64Array(x.length);
  const ry = new Float64Array(y.length);
  rankAverage(x, rx);
  rankAverage(y, ry);
  return correlation(rx, ry);
}

function periodReport(days: readonly Day[], demeaned: readonly Float64Array[][], k: number, period: number, q: number, nAssets: number): FactorReportPeriod {
  const D = days.length;
  const ic = new Float64Array(D);
  const rankIC = new Float64Array(D);
  const byDate = Array.from({ length: q }, () => new Float64Array(D).fill(Number.NaN));
  const seByDate = Array.from({ length: q }, () => new Float64Array(D).fill(Number.NaN));
  days.forEach((d, i) => {
    const r = demeaned[i]![k] as Float64Array;
    ic[i] = d.members.length > 1 ? correlation(d.score, r) : Number.NaN;
    rankIC[i] = d.members.length > 1 ? spearmanOf(d.score, r) : Number.NaN;
    quantileMeansOfDay(d, r, q, i, byDate, seByDate);
  });
  const quantileMean = Float64Array.from(byDate, (x) => nanMeanStd(x).mean);
  const quantileStdError = Float64Array.from(byDate, (x) => { const s = nanMeanStd(x); return s.std / Math.sqrt(s.count); });
  const top = q - 1;
  const spread = Float64Array.from({ length: D }, (_, i) => ((byDate[top]![i] as number) - (byDate[0]![i] as number)) / 2);
  const spreadStdError = Float64Array.from({ length: D }, (_, i) => Math.sqrt((seByDate[top]![i] as number) ** 2 + (seByDate[0]![i] as number) ** 2) / 2);
  const sp = nanMeanStd(spread);
  const turnoverByDate = Array.from({ length: q }, (_, b) => quantileTurnover(days, b + 1, period, nAssets));
  const rankAutocorrelation = rankAutocorr(days, period, nAssets);
  return Object.freeze({
    period, ic, rankIC, icStats: icStats(ic), rankICStats: icStats(rankIC), quantileMean, quantileStdError, quantileMeanByDate: byDate,
    spread, spreadStdError, spreadMean: sp.mean, spreadTStat: sp.mean / (sp.std / Math.sqrt(sp.count)),
    turnover: Float64Array.from(turnoverByDate, (x) => nanMeanStd(x).mean), turnoverByDate,
    rankAutocorrelation, meanRankAutocorrelation: nanMeanStd(rankAutocorrelation).mean,
  });
}

/** Per quantile of day i: mean of r and its std (ddof 1)/√count. */
function quantileMeansOfDay(d: Day, r: Float64Array, q: number, i: number, byDate: Float64Array[], seByDate: Float64Array[]): void {
  const s = new Float64Array(q);
  const ss = new Float64Array(q);
  const c = new Float64Array(q);
  for (let a = 0; a < r.length; a++) {
    const b = (d.quantile[a] as number) - 1;
    s[b] = (s[b] as number) + (r[a] as number);
    c[b] = (c[b] as number) + 1;
  }
  for (let b = 0; b < q; b++) if ((c[b] as number) > 0) byDate[b]![i] = (s[b] as number) / (c[b] as number);
  for (let a = 0; a < r.length; a++) {
    const b = (d.quantile[a] as number) - 1;
    ss[b] = (ss[b] as number) + ((r[a] as number) - (byDate[b]![i] as number)) ** 2;
  }
  for (let b = 0; b < q; b++) if ((c[b] as number) > 1) seByDate[b]![i] = Math.sqrt((ss[b] as number) / ((c[b] as number) - 1)) / Math.sqrt(c[b] as number);
}

function nanMeanStd(x: Float64Array): { mean: number; std: number; count: number } {
  const v = x.filter((y) => !Number.isNaN(y));
  return { mean: mean(v), std: v.length > 1 ? stdDev(v, 1) : Number.NaN, count: v.length };
}

/** Share of quantile b's names on sample date i that were not in it on sample date i − lag. */
function quantileTurnover(days: readonly Day[], b: number, lag: number, nAssets: number): Float64Array {
  const out = new Float64Array(days.length).fill(Number.NaN);
  const prev = new Uint8Array(nAssets);
  for (let i = lag; i < days.length; i++) {
    prev.fill(0);
    const p = days[i - lag] as Day;
    for (let a = 0; a < p.members.length; a++) if (p.quantile[a] === b) prev[p.members[a] as number] = 1;
    const d = days[i] as Day;
    let n = 0;
    let fresh = 0;
    for (let a = 0; a < d.members.length; a++) {
      if (d.quantile[a] !== b) continue;
      n++;
      if (prev[d.members[a] as number] === 0) fresh++;
    }
    out[i] = n === 0 ? Number.NaN : fresh / n;
  }
  return out;
}

/** Pearson correlation of each sample date's score ranks with those `lag` sample dates earlier (assets in both). */
function rankAutocorr(days: readonly Day[], lag: number, nAssets: number): Float64Array {
  const ranks = days.map((d) => {
    const r = new Float64Array(d.members.length);
    rankAverage(d.score, r);
    const full = new Float64Array(nAssets).fill(Number.NaN);
    for (let a = 0; a < r.length; a++) full[d.members[a] as number] = r[a] as number;
    return full;
  });
  const out = new Float64Array(days.length).fill(Number.NaN);
  for (let i = lag; i < days.length; i++) {
    const x: number[] = [];
    const y: number[] = [];
    const now = ranks[i] as Float64Array;
    const then = ranks[i - lag] as Float64Array;
    for (let j = 0; j < nAssets; j++) if (!Number.isNaN(now[j] as number) && !Number.isNaN(then[j] as number)) (x.push(now[j] as number), y.push(then[j] as number));
    out[i] = x.length > 1 ? correlation(x, y) : Number.NaN;
  }
  return out;
}
