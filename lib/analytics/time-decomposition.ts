/**
 * Time-based decomposition of a daily return series: the returns compounded within each calendar
 * day, month and year, with the benchmark's and the active (geometric excess Π(1+r)/Π(1+b) − 1 and
 * arithmetic difference) beside them. Periods are calendar periods in UTC of the trading dates
 * present; a NaN return counts as 0 (empyrical's compounding).
 */
import { checkKeys, civilFromEpochDay, type DateLike, fromEpochDay, toEpochDay, toEpochDays } from "../data/index.js";

/** Period lengths of {@link compoundByPeriod}. */
export type PeriodFrequency = "daily" | "monthly" | "yearly";

/** Returns compounded by calendar period. */
export interface PeriodReturns {
  readonly frequency: PeriodFrequency;
  /** Labels: "2020-03-16", "2020-03" or "2020". */
  readonly labels: readonly string[];
  /** Epoch day of each period's first calendar day (the 1st for months, Jan 1st for years). */
  readonly periodStart: Int32Array;
  /** Epoch day of the last trading date inside each period. */
  readonly lastDate: Int32Array;
  /** Trading days in each period. */
  readonly days: Int32Array;
  /** Compounded portfolio return of each period. */
  readonly returns: Float64Array;
  /** Compounded benchmark return (NaN when no benchmark was given). */
  readonly benchmark: Float64Array;
  /** returns − benchmark (NaN without benchmark). */
  readonly active: Float64Array;
}

/** The three decompositions of {@link timeDecomposition}. */
export interface TimeDecomposition {
  readonly daily: PeriodReturns;
  readonly monthly: PeriodReturns;
  readonly yearly: PeriodReturns;
  /** Compounded total over the whole series. */
  readonly totalReturn: number;
  /** Compounded benchmark total (NaN without benchmark). */
  readonly benchmarkTotalReturn: number;
}

/** Options of {@link timeDecomposition}. */
export interface TimeDecompositionOptions {
  /** Trading dates (epoch days or ISO strings), one per return. */
  dates: Int32Array | readonly DateLike[];
  /** Daily simple returns. */
  returns: Float64Array | readonly number[];
  /** Benchmark daily returns on the same dates (default: none). */
  benchmark?: Float64Array | readonly number[];
  /** First date kept (default: all). */
  startDate?: DateLike;
  /** Last date kept (default: all). */
  endDate?: DateLike;
}

function periodKey(day: number, f: PeriodFrequency): number {
  if (f === "daily") return day;
  const c = civilFromEpochDay(day);
  return f === "monthly" ? c.year * 12 + (c.month - 1) : c.year;
}

function label(day: number, f: PeriodFrequency): string {
  const iso = fromEpochDay(day);
  return f === "daily" ? iso : f === "monthly" ? iso.slice(0, 7) : iso.slice(0, 4);
}

function startOf(day: number, f: PeriodFrequency): number {
  if (f === "daily") return day;
  const c = civilFromEpochDay(day);
  return toEpochDay(f === "monthly" ? `${String(c.year).padStart(4, "0")}-${String(c.month).padStart(2, "0")}-01` : `${String(c.year).padStart(4, "0")}-01-01`);
}

/** Compounds daily `returns` (and `benchmark`) on `dates` (epoch days, increasing) into calendar periods. */
export function compoundByPeriod(dates: Int32Array, returns: Float64Array, frequency: PeriodFrequency, benchmark?: Float64Array): PeriodReturns {
  if (frequency !== "daily" && frequency !== "monthly" && frequency !== "yearly") {
    throw new RangeError(`compoundByPeriod: frequency must be "daily", "monthly" or "yearly", got ${JSON.stringify(frequency)}`);
  }
  if (returns.length !== dates.length) throw new RangeError(`compoundByPeriod: ${returns.length} returns for ${dates.length} dates; give one return per date`);
  if (benchmark !== undefined && benchmark.length !== dates.length) throw new RangeError(`compoundByPeriod: benchmark has ${benchmark.length} values for ${dates.length} dates`);
  for (let i = 1; i < dates.length; i++) {
    if (dates[i]! <= dates[i - 1]!) throw new RangeError(`compoundByPeriod: dates must strictly increase (row ${i}: ${fromEpochDay(dates[i]!)})`);
  }
  const labels: string[] = [];
  const start: number[] = [];
  const last: number[] = [];
  const days: number[] = [];
  const rp: number[] = [];
  const rb: number[] = [];
  let key = Number.NaN;
  let gp = 1;
  let gb = 1;
  let m = 0;
  const close = (i: number) => {
    last.push(dates[i - 1]!);
    days.push(m);
    rp.push(gp - 1);
    rb.push(benchmark === undefined ? Number.NaN : gb - 1);
  };
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    const k = periodKey(d, frequency);
    if (k !== key) {
      if (i > 0) close(i);
      key = k;
      gp = 1;
      gb = 1;
      m = 0;
      labels.push(label(d, frequency));
      start.push(startOf(d, frequency));
    }
    const v = returns[i]!;
    gp *= 1 + (v === v ? v : 0);
    if (benchmark !== undefined) {
      const b = benchmark[i]!;
      gb *= 1 + (b === b ? b : 0);
    }
    m++;
  }
  if (dates.length > 0) close(dates.length);
  const r = Float64Array.from(rp);
  const b = Float64Array.from(rb);
  return Object.freeze({
    frequency,
    labels: Object.freeze(labels),
    periodStart: Int32Array.from(start),
    lastDate: Int32Array.from(last),
    days: Int32Array.from(days),
    returns: r,
    benchmark: b,
    active: r.map((v, i) => v - b[i]!),
  });
}

/** Daily, monthly and yearly decomposition of a daily return series (optionally against a benchmark). */
export function timeDecomposition(options: TimeDecompositionOptions): TimeDecomposition {
  const where = "timeDecomposition";
  const o = checkKeys(where, options, ["dates", "returns", "benchmark", "startDate", "endDate"]);
  const od = o.get("dates") as TimeDecompositionOptions["dates"] | undefined;
  const or = o.get("returns") as TimeDecompositionOptions["returns"] | undefined;
  const ob = o.get("benchmark") as TimeDecompositionOptions["benchmark"];
  if (od === undefined || or === undefined) throw new TypeError(`${where}: options dates and returns are required`);
  let dates = od instanceof Int32Array ? od : toEpochDays(od);
  let r = or instanceof Float64Array ? or : Float64Array.from(or);
  let b = ob === undefined ? undefined : ob instanceof Float64Array ? ob : Float64Array.from(ob);
  if (r.length !== dates.length) throw new RangeError(`${where}: ${r.length} returns for ${dates.length} dates; give one return per date`);
  if (b !== undefined && b.length !== dates.length) throw new RangeError(`${where}: option benchmark has ${b.length} values for ${dates.length} dates`);
  const startDate = o.get("startDate") as DateLike | undefined;
  const endDate = o.get("endDate") as DateLike | undefined;
  if (startDate !== undefined || endDate !== undefined) {
    const lo = startDate === undefined ? -Infinity : toEpochDay(startDate);
    const hi = endDate === undefined ? Infinity : toEpochDay(endDate);
    let i0 = 0;
    while (i0 < dates.length && dates[i0]! < lo) i0++;
    let i1 = dates.length;
    while (i1 > i0 && dates[i1 - 1]! > hi) i1--;
    dates = dates.subarray(i0, i1);
    r = r.subarray(i0, i1);
    b = b?.subarray(i0, i1);
  }
  if (dates.length === 0) throw new RangeError(`${where}: no returns between startDate and endDate`);
  const yearly = compoundByPeriod(dates, r, "yearly", b);
  let gp = 1;
  let gb = 1;
  for (let i = 0; i < yearly.returns.length; i++) {
    gp *= 1 + yearly.returns[i]!;
    gb *= 1 + yearly.benchmark[i]!;
  }
  return Object.freeze({
    daily: compoundByPeriod(dates, r, "daily", b),
    monthly: compoundByPeriod(dates, r, "monthly", b),
    yearly,
    totalReturn: gp - 1,
    benchmarkTotalReturn: b === undefined ? Number.NaN : gb - 1,
  });
}
