/**
 * Stage 6, metrics and the result: the run's series, trades and costs become one frozen
 * `BacktestResult` with its metrics (computed once) and its rich display.
 */
import { Panel } from "../data/index.js";
import { COST_KINDS } from "../execution/index.js";
import type { RiskIntervention } from "../risk/index.js";
import type { Ledger } from "./accounting.js";
import { backtestDisplay } from "./display.js";
import { computeMetrics } from "./metrics.js";
import type { BacktestResult, CostBreakdown } from "./result.js";
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
}

export function assembleResult(run: RunRecord): BacktestResult {
  const { close, ledger } = run;
  const dates = close.dates.slice(run.startRow, run.endRow + 1);
  let avgTurn = 0;
  for (const t of ledger.turnover) avgTurn += t;
  avgTurn /= ledger.turnover.length;
  const result: BacktestResult = {
    ...computeMetrics(ledger.returns, run.benchmarkReturns),
    dates,
    assets: close.assets,
    equityCurve: ledger.equity,
    returns: ledger.returns,
    returnsBeforeCosts: ledger.returnsBeforeCosts,
    benchmarkReturns: run.benchmarkReturns,
    cash: ledger.cashSeries,
    positions: new Panel(dates, close.assets, positionColumns(ledger.positions, dates.length, close.nAssets), { validate: false }),
    turnover: ledger.turnover,
    averageTurnover: avgTurn,
    grossLeverage: ledger.grossLeverage,
    netLeverage: ledger.netLeverage,
    trades: run.trades.finish(close.assets),
    costs: costBreakdown(run.costsByKind, ledger.borrow),
    dailyCosts: ledger.dailyCosts,
    interventions: Object.freeze([...run.interventions]),
    initialCapital: run.initialCapital,
    assumptions: Object.freeze([...run.assumptions]),
    fits: run.fits,
  };
  Object.defineProperty(result, Symbol.for("Jupyter.display"), { value: () => backtestDisplay(result), enumerable: false });
  return Object.freeze(result);
}

function costBreakdown(byKind: Float64Array, borrow: number): CostBreakdown {
  const kind = (k: (typeof COST_KINDS)[number]): number => at(byKind, COST_KINDS.indexOf(k));
  const commission = kind("commission");
  const spread = kind("spread");
  const impact = kind("impact");
  return Object.freeze({ commission, spread, impact, borrow, total: commission + spread + impact + borrow });
}

/** Row-major days × assets → one column per asset (views into one block). */
function positionColumns(rowMajor: Float64Array, T: number, n: number): Float64Array[] {
  const block = new Float64Array(T * n);
  for (let k = 0; k < T; k++) {
    const row = k * n;
    for (let j = 0; j < n; j++) block[j * T + k] = at(rowMajor, row + j);
  }
  return Array.from({ length: n }, (_, j) => block.subarray(j * T, (j + 1) * T));
}
