/**
 * Whole-period and calendar-year summaries of a {@link backtestWeights} result, gross and net of
 * costs, with DESIGN.md's conventions (lib/backtest/metrics.ts, empyrical): annual return is the
 * compounded growth over n/252 years, volatility and Sharpe use daily returns (ddof 1, √252, no
 * risk-free rate: a self-financing book's return is already an excess return), max drawdown is
 * compounded and negative. Turnover and exposures are daily means (fractions of equity); `costDrag`
 * is the mean daily cost × 252.
 */
import { fromEpochDay } from "../data/index.js";
import { computeMetrics } from "./metrics.js";
import type { WeightBacktestResult } from "./weight-path.js";

/** Return statistics of one daily series over one period. */
export interface ReturnStats {
  readonly annualReturn: number;
  readonly annualVolatility: number;
  readonly sharpeRatio: number;
  readonly maxDrawdown: number;
  readonly totalReturn: number;
}

/** One period's summary. */
export interface PeriodSummary {
  /** "all" or the calendar year. */
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly gross: ReturnStats;
  readonly net: ReturnStats;
  /** Mean daily Σ|traded weight|. */
  readonly turnover: number;
  /** Mean gross long exposure after trading. */
  readonly longExposure: number;
  /** Mean gross short exposure after trading. */
  readonly shortExposure: number;
  /** Mean daily cost × 252, a fraction of equity a year. */
  readonly costDrag: number;
}

function stats(x: Float64Array): ReturnStats {
  const m = computeMetrics(x);
  return Object.freeze({ annualReturn: m.annualReturn, annualVolatility: m.annualVolatility, sharpeRatio: m.sharpeRatio, maxDrawdown: m.maxDrawdown, totalReturn: m.totalReturn });
}

const meanOf = (x: Float64Array): number => {
  let s = 0;
  for (const v of x) s += v;
  return x.length ? s / x.length : Number.NaN;
};

function summarize(r: WeightBacktestResult, period: string, from: number, to: number): PeriodSummary {
  const cut = (x: Float64Array): Float64Array => x.subarray(from, to);
  return Object.freeze({
    period,
    from: fromEpochDay(r.dates[from] as number),
    to: fromEpochDay(r.dates[to - 1] as number),
    days: to - from,
    gross: stats(cut(r.gross)),
    net: stats(cut(r.net)),
    turnover: meanOf(cut(r.turnover)),
    longExposure: meanOf(cut(r.long)),
    shortExposure: meanOf(cut(r.short)),
    costDrag: meanOf(cut(r.costs.total)) * 252,
  });
}

/** The whole period and each calendar year of a weights backtest. */
export function periodSummaries(result: WeightBacktestResult): { readonly whole: PeriodSummary; readonly years: readonly PeriodSummary[] } {
  const n = result.dates.length;
  if (n === 0) throw new RangeError("periodSummaries: the result has no dates");
  const years: PeriodSummary[] = [];
  let from = 0;
  for (let i = 1; i <= n; i++) {
    const y = fromEpochDay(result.dates[from] as number).slice(0, 4);
    if (i === n || fromEpochDay(result.dates[i] as number).slice(0, 4) !== y) {
      years.push(summarize(result, y, from, i));
      from = i;
    }
  }
  return Object.freeze({ whole: summarize(result, "all", 0, n), years: Object.freeze(years) });
}
