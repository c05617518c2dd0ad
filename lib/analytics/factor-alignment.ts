/**
 * How factor attribution lines a portfolio's returns up with the factor data (see the module doc of
 * factor-attribution.ts): the returns (and benchmark) read and windowed, NaN days left out, then
 * matched to daily factors by date, or compounded to calendar months (partial first and last months
 * dropped) and matched to monthly factors by month.
 */
import { type DateLike, Panel, toEpochDay, toEpochDays } from "../data/index.js";
import { compoundByPeriod } from "./time-decomposition.js";

/** The portfolio's returns (and the benchmark's) on their own dates, windowed and free of NaN. */
export interface PortfolioSeries {
  readonly dates: Int32Array;
  readonly returns: Float64Array;
  readonly benchmark: Float64Array | undefined;
}

/** The periods that meet the factor data: factor rows, the returns of those periods, and how they were matched. */
export interface FactorAlignment {
  /** Row of the factor Panel of each period. */
  readonly rows: readonly number[];
  readonly portfolio: Float64Array;
  readonly benchmark: Float64Array | undefined;
  /** How the portfolio was aligned, in words. */
  readonly alignment: string;
}

/** Median gap between consecutive dates in days (NaN for fewer than two dates). */
export function medianGap(dates: Int32Array): number {
  if (dates.length < 2) return Number.NaN;
  const g = new Float64Array(dates.length - 1);
  for (let i = 1; i < dates.length; i++) g[i - 1] = dates[i]! - dates[i - 1]!;
  g.sort();
  return g[g.length >> 1]!;
}

function monthKey(day: number): number {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The returns and their dates from `portfolioReturns` (a Panel's first column, or an array with `dates`). */
export function portfolioOnDates(where: string, pr: unknown, optDates: Int32Array | readonly DateLike[] | undefined): { dates: Int32Array; returns: Float64Array } {
  if (pr instanceof Panel) {
    return { returns: pr.columns[0] ?? new Float64Array(0), dates: optDates === undefined ? pr.dates : toEpochDays(optDates) };
  }
  if (optDates === undefined) throw new TypeError(`${where}: option dates is required with an array of portfolioReturns (or pass a Panel)`);
  const returns = pr instanceof Float64Array ? pr : Float64Array.from(pr as readonly number[]);
  return { returns, dates: optDates instanceof Int32Array ? optDates : toEpochDays(optDates) };
}

/** The benchmark on the portfolio's dates: an array as given, a Panel matched by date (NaN where absent). */
export function benchmarkOnDates(where: string, b: Float64Array | Panel | undefined, r: Float64Array, dates: Int32Array): Float64Array | undefined {
  if (b instanceof Float64Array) {
    if (b.length !== r.length) throw new RangeError(`${where}: the benchmark has ${b.length} returns but the portfolio ${r.length}; give the benchmark on the portfolio's dates (or as a Panel)`);
    return b;
  }
  if (!(b instanceof Panel)) return undefined;
  const col = b.columns[0] as Float64Array;
  let lo = Infinity;
  let sum = 0;
  let m = 0;
  for (const v of col) if (v === v) (lo = Math.min(lo, v)), (sum += v), m++;
  if (m > 0 && lo > 0 && sum / m > 0.5) throw new RangeError(`${where}: the benchmark Panel looks like prices (all > 0, mean ${(sum / m).toFixed(2)}); pass returns, e.g. index.returns()`);
  const bench = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) {
    const k = b.indexOfDate(dates[i]!);
    bench[i] = k >= 0 ? col[k]! : Number.NaN;
  }
  return bench;
}

/** The days between startDate and endDate where the portfolio (and the benchmark) return is finite. */
export function windowed(where: string, s: PortfolioSeries, startDate: DateLike | undefined, endDate: DateLike | undefined): PortfolioSeries {
  const { dates, returns: r, benchmark: bench } = s;
  const lo = startDate === undefined ? -Infinity : toEpochDay(startDate);
  const hi = endDate === undefined ? Infinity : toEpochDay(endDate);
  const keep: number[] = [];
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    if (d >= lo && d <= hi && Number.isFinite(r[i]!) && (bench === undefined || Number.isFinite(bench[i]!))) keep.push(i);
  }
  if (keep.length < 3) throw new RangeError(`${where}: fewer than 3 finite returns between startDate and endDate`);
  return {
    dates: Int32Array.from(keep, (i) => dates[i]!),
    returns: Float64Array.from(keep, (i) => r[i]!),
    benchmark: bench === undefined ? undefined : Float64Array.from(keep, (i) => bench[i]!),
  };
}

/** Daily returns matched to daily factors by date. */
export function alignDaily(where: string, f: Panel, s: PortfolioSeries): FactorAlignment {
  if (!(medianGap(s.dates) < 20)) throw new RangeError(`${where}: the factors are daily but the portfolio returns are not; give daily returns or monthly factors`);
  const rows: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < s.dates.length; i++) {
    const k = f.indexOfDate(s.dates[i]!);
    if (k >= 0) (idx.push(i), rows.push(k));
  }
  const bench = s.benchmark;
  return {
    rows,
    portfolio: Float64Array.from(idx, (i) => s.returns[i]!),
    benchmark: bench === undefined ? undefined : Float64Array.from(idx, (i) => bench[i]!),
    alignment: `daily returns matched to daily factors by date (${idx.length} of ${s.dates.length} days have factors)`,
  };
}

/** Monthly series of the portfolio: daily returns compounded to whole calendar months, or monthly returns as they are. */
function monthlySeries(s: PortfolioSeries, portfolioDaily: boolean): { returns: Float64Array; benchmark: Float64Array | undefined; keys: number[]; dropped: string } {
  const { dates, returns: r, benchmark: bench } = s;
  if (!portfolioDaily) return { returns: r, benchmark: bench, keys: Array.from(dates, monthKey), dropped: "" };
  const m = compoundByPeriod(dates, r, "monthly", bench);
  const first = new Date(dates[0]! * 86_400_000).getUTCDate();
  const last = new Date(dates[dates.length - 1]! * 86_400_000).getUTCDate();
  const i0 = first > 7 ? 1 : 0;
  const i1 = last < 22 ? m.returns.length - 1 : m.returns.length;
  let dropped = "";
  if (i0) dropped += ` first month ${m.labels[0]} dropped (starts on day ${first});`;
  if (i1 < m.returns.length) dropped += ` last month ${m.labels[m.labels.length - 1]} dropped (ends on day ${last});`;
  return {
    returns: m.returns.slice(i0, i1),
    benchmark: bench === undefined ? undefined : m.benchmark.slice(i0, i1),
    keys: Array.from(m.periodStart.slice(i0, i1), monthKey),
    dropped,
  };
}

/** Monthly (or compounded daily) returns matched to monthly factors by calendar month. */
export function alignMonthly(f: Panel, s: PortfolioSeries): FactorAlignment {
  const portfolioDaily = medianGap(s.dates) < 20;
  const m = monthlySeries(s, portfolioDaily);
  const fk = new Map<number, number>();
  for (let k = 0; k < f.nDates; k++) fk.set(monthKey(f.dates[k]!), k);
  const rows: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < m.keys.length; i++) {
    const k = fk.get(m.keys[i] as number);
    if (k !== undefined) (idx.push(i), rows.push(k));
  }
  const mb = m.benchmark;
  const how = portfolioDaily
    ? "daily returns compounded to calendar months (Π(1+r) − 1) and matched to the monthly factors of the same month;"
    : "monthly returns matched to monthly factors by month;";
  return {
    rows,
    portfolio: Float64Array.from(idx, (i) => m.returns[i]!),
    benchmark: mb === undefined ? undefined : Float64Array.from(idx, (i) => mb[i]!),
    alignment: how + m.dropped + ` ${idx.length} months with factors`,
  };
}
