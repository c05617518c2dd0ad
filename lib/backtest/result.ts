/**
 * The result of a daily backtest: a frozen record of typed arrays; its metrics (Sharpe, drawdown …)
 * are top-level fields, once (`result.sharpeRatio`). Types only, so the display and the assembly
 * both import it without a cycle.
 */
import type { Panel } from "../data/index.js";
import type { RiskIntervention } from "../risk/index.js";
import type { BacktestMetrics } from "./metrics.js";
import type { Bankruptcy } from "./solvency.js";
import type { TradeTable } from "./trade-log.js";

/** Transaction costs and borrow, currency. */
export interface CostBreakdown {
  readonly commission: number;
  readonly spread: number;
  readonly impact: number;
  readonly borrow: number;
  readonly total: number;
}

/** The result of a backtest; the metrics are its top-level fields (`result.sharpeRatio`). */
export interface BacktestResult extends BacktestMetrics {
  /** Trading dates (epoch days) of the backtest window. */
  readonly dates: Int32Array;
  readonly assets: readonly string[];
  /** Equity at each close (after that day's trades). */
  readonly equityCurve: Float64Array;
  /** Daily simple returns of equity (the first day's relative to the initial capital). */
  readonly returns: Float64Array;
  /** Daily returns with that day's costs and borrow added back (same trades; the cost drag is returns − this). */
  readonly returnsBeforeCosts: Float64Array;
  /** Benchmark daily returns on the same dates. */
  readonly benchmarkReturns: Float64Array;
  /** Cash at each close. */
  readonly cash: Float64Array;
  /** Shares held at each close (dates × assets). */
  readonly positions: Panel;
  /** Σ|traded notional| / equity before trading, per day. */
  readonly turnover: Float64Array;
  /** Mean daily turnover. */
  readonly averageTurnover: number;
  /** Σ|position value| / equity at each close. */
  readonly grossLeverage: Float64Array;
  /** Σ position value / equity at each close. */
  readonly netLeverage: Float64Array;
  readonly trades: TradeTable;
  readonly costs: CostBreakdown;
  /** Costs charged each day (currency, all kinds incl. borrow). */
  readonly dailyCosts: Float64Array;
  readonly interventions: readonly RiskIntervention[];
  readonly initialCapital: number;
  /** Assumptions the numbers rest on, in words (fill timing, ADV, costs). */
  readonly assumptions: readonly string[];
  /** Model fits performed. */
  readonly fits: number;
  /**
   * null, or where the run stopped because equity reached zero or below (`onBankruptcy: "stop"`):
   * the series end at that close and the ratio metrics are NaN.
   */
  readonly bankruptcy: Bankruptcy | null;
}
