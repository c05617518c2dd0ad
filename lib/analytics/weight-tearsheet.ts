/**
 * `weightTearsheetSource(result, options)`: what the tearsheet reads, from a weight-path backtest
 * (lib/backtest's `backtestWeights` with `keepHoldings: true`, e.g. an Avellaneda & Lee run): net and
 * gross returns, equity at `capital`, turnover, gross/net exposure, costs in currency per day and by
 * kind, the trades, and the metrics the tearsheet's headline shows (computed here with lib/analytics'
 * metrics, so they are the same functions as for a StatArbBacktester result). A weight path has no
 * risk manager, so there are no interventions.
 */
import type { WeightBacktestResult } from "../backtest/index.js";
import { opt, readOptions } from "../data/index.js";
import { annualReturn, annualVolatility, calmarRatio, informationRatio, maxDrawdown, sharpeRatio, sortinoRatio, winRate } from "./metrics.js";
import type { TearsheetSource } from "./tearsheet.js";

/** Options of {@link weightTearsheetSource}. */
export interface WeightTearsheetOptions {
  /** Initial equity in currency; give the `capital` the backtest ran with (default 1e8, backtestWeights' default). */
  capital?: number;
  /** Benchmark returns on the result's dates (default none: NaN, the tearsheet then shows no benchmark). */
  benchmarkReturns?: Float64Array;
  /** The stated assumptions listed at the end of the tearsheet (default: the accounting conventions of backtestWeights). */
  assumptions?: readonly string[];
}

const DEFAULT_ASSUMPTIONS: readonly string[] = Object.freeze([
  "Weights of equity decided at a close, traded at that close or the next one (fillAt), accounted by backtestWeights.",
  "Self-financing long/short book: cash and short proceeds earn nothing; no borrow fee.",
  "Costs as configured in backtestWeights, charged on traded notional at each trade.",
]);

const isF64 = (v: unknown): v is Float64Array => v instanceof Float64Array;
const isStrings = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** The tearsheet's input from a weight-path backtest (see the module doc). */
export function weightTearsheetSource(result: WeightBacktestResult, options?: WeightTearsheetOptions): TearsheetSource {
  const W = "weightTearsheetSource";
  if (result === null || typeof result !== "object" || !(result.net instanceof Float64Array)) throw new TypeError(`${W}: result must be a result of backtestWeights`);
  if (result.trades === undefined || result.holdings === undefined) throw new RangeError(`${W}: the result has no trades; run backtestWeights with { keepHoldings: true }`);
  const o = readOptions(W, options, {
    capital: opt.number(1e8, { min: 0, open: "min" }),
    benchmarkReturns: opt.optional(opt.custom("a Float64Array of returns, one per result date", () => new Float64Array(0), isF64)),
    assumptions: opt.custom("an array of strings", () => DEFAULT_ASSUMPTIONS, isStrings),
  });
  const T = result.dates.length;
  if (o.benchmarkReturns !== undefined && o.benchmarkReturns.length !== T) throw new RangeError(`${W}: benchmarkReturns has ${o.benchmarkReturns.length} values; give one per result date (${T})`);
  const bench = o.benchmarkReturns ?? new Float64Array(T).fill(Number.NaN);
  const equity = new Float64Array(T);
  const dailyCosts = new Float64Array(T);
  const byKind = { commission: 0, spread: 0, impact: 0 };
  let e = o.capital;
  for (let k = 0; k < T; k++) {
    const before = e * (1 + (result.gross[k] as number));
    dailyCosts[k] = before * (result.costs.total[k] as number);
    for (const kind of ["commission", "spread", "impact"] as const) byKind[kind] += before * (result.costs[kind][k] as number);
    e *= 1 + (result.net[k] as number);
    equity[k] = e;
  }
  const gross = new Float64Array(T);
  const net = new Float64Array(T);
  let turnover = 0;
  for (let k = 0; k < T; k++) {
    gross[k] = (result.long[k] as number) + (result.short[k] as number);
    net[k] = (result.long[k] as number) - (result.short[k] as number);
    turnover += result.turnover[k] as number;
  }
  const r = result.net;
  return Object.freeze({
    dates: result.dates,
    equityCurve: equity,
    returns: r,
    returnsBeforeCosts: result.gross,
    benchmarkReturns: bench,
    turnover: result.turnover,
    averageTurnover: turnover / T,
    grossLeverage: gross,
    netLeverage: net,
    dailyCosts,
    costs: Object.freeze({ ...byKind, borrow: 0, total: byKind.commission + byKind.spread + byKind.impact }),
    trades: result.trades,
    interventions: Object.freeze([]),
    initialCapital: o.capital,
    assumptions: o.assumptions,
    annualReturn: annualReturn(r),
    annualVolatility: annualVolatility(r),
    sharpeRatio: sharpeRatio(r),
    sortinoRatio: sortinoRatio(r),
    maxDrawdown: maxDrawdown(r),
    calmarRatio: calmarRatio(r),
    informationRatio: o.benchmarkReturns === undefined ? Number.NaN : informationRatio(r, bench),
    winRate: winRate(r),
    totalReturn: e / o.capital - 1,
  });
}
