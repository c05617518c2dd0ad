/**
 * Stage 6, metrics and the result: the run's series, trades and costs become one frozen
 * `BacktestResult` with its metrics (computed once) and its rich display.
 */
import { Panel } from "../data/index.js";
import { COST_KINDS } from "../execution/index.js";
import type { RiskIntervention } from "../risk/index.js";
import type { Ledger } from "./accounting.js";
import { withBacktestDisplay } from "./display.js";
import { type BacktestMetrics, computeMetrics } from "./metrics.js";
import type { BacktestResult, CostBreakdown } from "./result.js";
import type { Bankruptcy } from "./solvency.js";
import type { TradeLog } from "./trade-log.js";
import { at } from "./typed.js";

/** Everything a finished run hands to the result. */
export interface RunRecord {
  readonly close: Panel;
  readonly startRow: number;
  readonly endRow: number;
  readonly initialCapital: number;
  readonly ledger: Ledger;
  readonly trades: TradeLog;
  /** Transaction costs by kind, indexed as `COST_KINDS`. */
  readonly costsByKind: Float64Array;
  readonly benchmarkReturns: Float64Array;
  readonly interventions: readonly RiskIntervention[];
  readonly assumptions: readonly string[];
  readonly fits: number;
  /** Where the run stopped bankrupt (the series end there), else null. */
  readonly bankruptcy: Bankruptcy | null;
}

export function assembleResult(run: RunRecord): BacktestResult {
  const { close, ledger } = run;
  const dates = close.dates.slice(run.startRow, run.endRow + 1);
  const T = dates.length;
  // A run stopped bankrupt is shorter than the ledger's arrays: its series end at that close.
  const cut = (a: Float64Array): Float64Array => (a.length === T ? a : a.subarray(0, T));
  const turnover = cut(ledger.turnover);
  let avgTurn = 0;
  for (const t of turnover) avgTurn += t;
  avgTurn /= turnover.length;
  const returns = cut(ledger.returns);
  const equity = cut(ledger.equity);
  const result: BacktestResult = {
    ...(run.bankruptcy === null ? computeMetrics(returns, run.benchmarkReturns) : bankruptMetrics(equity, run.initialCapital)),
    dates,
    assets: close.assets,
    equityCurve: equity,
    returns,
    returnsBeforeCosts: cut(ledger.returnsBeforeCosts),
    benchmarkReturns: run.benchmarkReturns,
    cash: cut(ledger.cashSeries),
    positions: new Panel(dates, close.assets, ledger.positionColumns(T), { validate: false }),
    turnover,
    averageTurnover: avgTurn,
    grossLeverage: cut(ledger.grossLeverage),
    netLeverage: cut(ledger.netLeverage),
    trades: run.trades.finish(close.assets),
    costs: costBreakdown(run.costsByKind, ledger.borrow),
    dailyCosts: cut(ledger.dailyCosts),
    interventions: Object.freeze([...run.interventions]),
    initialCapital: run.initialCapital,
    assumptions: Object.freeze([...run.assumptions]),
    fits: run.fits,
    bankruptcy: run.bankruptcy,
  };
  return Object.freeze(withBacktestDisplay(result));
}

/**
 * The metrics of a run stopped bankrupt: the total return and the drawdown of its equity (both
 * ≤ −1), the ratios NaN — a Sharpe or a CAGR of a book that lost everything means nothing.
 */
function bankruptMetrics(equity: Float64Array, initialCapital: number): BacktestMetrics {
  let peak = initialCapital;
  let mdd = 0;
  for (const e of equity) {
    if (e > peak) peak = e;
    mdd = Math.min(mdd, e / peak - 1);
  }
  const nan = Number.NaN;
  return Object.freeze({
    annualReturn: nan, annualVolatility: nan, sharpeRatio: nan, sortinoRatio: nan, maxDrawdown: mdd, calmarRatio: nan,
    informationRatio: nan, winRate: nan, totalReturn: at(equity, equity.length - 1) / initialCapital - 1, days: equity.length,
  });
}

function costBreakdown(byKind: Float64Array, borrow: number): CostBreakdown {
  const kind = (k: (typeof COST_KINDS)[number]): number => at(byKind, COST_KINDS.indexOf(k));
  const commission = kind("commission");
  const spread = kind("spread");
  const impact = kind("impact");
  return Object.freeze({ commission, spread, impact, borrow, total: commission + spread + impact + borrow });
}

