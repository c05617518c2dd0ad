/**
 * `StatArbBacktester`: a daily loop over a price panel, in stages, each in its own module:
 *   1. targets (targets.ts): scores or the alpha model → constructed weights, on rebalance days;
 *   2. limits (limits.ts): the risk manager → the target book;
 *   3. orders (orders.ts): target → market-on-close orders in lib/execution's order state table;
 *   4. fills and costs (fills.ts): lib/execution's venue fills them (participation cap, cost models);
 *   5. accounting (accounting.ts): cash, shares, borrow, equity and the daily series;
 *   6. metrics and the result (assemble.ts).
 *
 * Timing (no look-ahead): on each rebalance day t, after the close, the model sees only rows ≤ t;
 * the targets are traded at the NEXT day's close (`fillAt: "next-close"`, the default; a
 * market-on-close order sent after seeing the close of t can only reach the close of t+1).
 * `fillAt: "close"` trades at the close of t itself (costs still apply) — it assumes the decision
 * can be made in the closing auction and is optimistic; use it knowingly. Every fill is at a
 * close, which lies in that day's range by definition. An order the participation cap leaves
 * partly open expires at the close; the target is re-sized and sent again the next day.
 *
 * Impact inputs (estimates.ts): σ of the last `volWindow` daily returns and ADV of the last
 * `advWindow` volumes, both to t−1. Without volume the impact models use their documented
 * dollar-ADV assumption (`assumedAdvNotional`, default $500M/day), which `assumptions` states.
 *
 * The clock and the venue are passed in or created per instance; nothing is module-level, so many
 * backtests can run in one kernel process.
 */
import type { Panel } from "../data/index.js";
import { type CostModel, OrderColumns, TestClock } from "../execution/index.js";
import { Ledger } from "./accounting.js";
import { assembleResult } from "./assemble.js";
import { benchmarkReturns } from "./benchmark.js";
import { type BacktestConfig, readBacktestConfig, type StatArbBacktesterOptions } from "./config.js";
import { MarketEstimates } from "./estimates.js";
import { FillStage } from "./fills.js";
import { LimitStage } from "./limits.js";
import { DayOrders, type OrderSizing, submitOrders } from "./orders.js";
import type { BacktestResult } from "./result.js";
import { isRebalanceDay, readRunPlan, type RunBacktestOptions, type RunPlan, TargetStage } from "./targets.js";
import { TradeLog } from "./trade-log.js";
import { type Bankruptcy, bankruptcyAt, bankruptcyError } from "./solvency.js";
import { at, atInt, rowMajor } from "./typed.js";

export type { MarketDataInput, StatArbBacktesterOptions } from "./config.js";
export type { BacktestResult, CostBreakdown } from "./result.js";
export type { Bankruptcy } from "./solvency.js";
export type { ConstructionFunction, RunBacktestOptions } from "./targets.js";

/**
 * The backtester's public fields are exactly its resolved configuration, {@link BacktestConfig}
 * (config.ts, their one home): the class takes them from `readBacktestConfig` instead of re-declaring
 * each one (declaration merging gives the class the config's fields). Runs read the frozen config
 * itself, so writing to a field afterwards changes nothing, as before.
 */
export interface StatArbBacktester extends BacktestConfig {}

export class StatArbBacktester {
  readonly #config: BacktestConfig;

  constructor(options: StatArbBacktesterOptions) {
    this.#config = readBacktestConfig(options);
    Object.assign(this, this.#config);
  }

  /** The venue's cost models (`venue.costs`). */
  get costModels(): readonly CostModel[] {
    return this.venue.costs;
  }

  /** Runs the backtest (async because a model may be). */
  async runBacktest(options: RunBacktestOptions): Promise<BacktestResult> {
    const c = this.#config;
    const plan = readRunPlan(options, c.close);
    const run = new DailyRun(c, plan);
    await run.loop();
    const assumptions = [...c.assumptions];
    if (c.benchmark === undefined) assumptions.push("benchmark: equal-weighted daily-rebalanced universe");
    if (plan.alphaModel !== undefined) assumptions.push(`model refit every ${plan.retrainEvery} trading days on data up to the decision date; predictions at each ${plan.frequency} rebalance`);
    const endRow = c.startRow + run.days - 1;
    return assembleResult({
      close: c.close,
      startRow: c.startRow,
      endRow,
      initialCapital: c.initialCapital,
      ledger: run.ledger,
      trades: run.trades,
      costsByKind: run.fills.costsByKind,
      benchmarkReturns: benchmarkReturns(c.close, c.benchmark, c.startRow, endRow, run.prices),
      interventions: run.limits.interventions,
      assumptions,
      fits: run.targets.fits,
      bankruptcy: run.bankruptcy,
    });
  }
}

/** Rows the trade log starts with at most (128 MB of columns). */
const TRADE_LOG_CAP = 1 << 22;

/** One run's stages and the day loop that drives them. */
class DailyRun {
  readonly ledger: Ledger;
  readonly trades: TradeLog;
  readonly targets: TargetStage;
  readonly limits: LimitStage;
  readonly fills: FillStage;
  /** The closes up to the run's last row, row-major (`rowMajor`). */
  readonly prices: Float64Array;
  readonly #config: BacktestConfig;
  readonly #plan: RunPlan;
  readonly #orders: OrderColumns;
  readonly #day: DayOrders;
  readonly #sizing: OrderSizing;
  /** The risk-managed target weights, per asset. */
  readonly #target: Float64Array;
  /** The book is not at the target yet (a new target, or unpriced or partly filled orders). */
  #pending = false;
  /** Days run (fewer than the window's when the run stopped bankrupt). */
  days: number;
  /** Where the run stopped bankrupt (onBankruptcy "stop"), else null. */
  bankruptcy: Bankruptcy | null = null;

  constructor(config: BacktestConfig, plan: RunPlan) {
    const close = config.close;
    this.#config = config;
    this.#plan = plan;
    // The closes row-major once: the ledger and the estimates read a date's row contiguously.
    const complete = new Uint8Array(close.nAssets).fill(1);
    const prices = rowMajor(close.columns, config.endRow + 1, complete);
    this.prices = prices;
    this.ledger = new Ledger(config, prices);
    this.targets = new TargetStage(plan, close, config.volume, config.endRow);
    this.limits = new LimitStage(close, plan.riskManager);
    const estimates = config.venue.costs.length > 0 ? new MarketEstimates(prices, complete, config.volume, config.volWindow, config.advWindow) : undefined;
    this.fills = new FillStage(config.venue, close.assets, config.volume?.columns, estimates, config.fractionalShares);
    this.#orders = new OrderColumns(Math.max(1, close.nAssets));
    this.#day = new DayOrders(close.nAssets);
    this.#sizing = { fractionalShares: config.fractionalShares, minTradeFraction: config.minTradeFraction };
    this.#target = new Float64Array(close.nAssets);
    this.days = config.endRow - config.startRow + 1;
    // At most one fill per asset and day: a log that never grows (capped; beyond, it doubles).
    this.trades = new TradeLog(Math.max(1, Math.min(close.nAssets * this.days, TRADE_LOG_CAP)));
  }

  async loop(): Promise<void> {
    const { close, startRow: i0, endRow: i1 } = this.#config;
    const nextClose = this.#config.fillAt === "next-close";
    const clock = this.#plan.clock ?? new TestClock(atInt(close.dates, i0));
    const ledger = this.ledger;
    for (let k = 0; k < i1 - i0 + 1; k++) {
      const i = i0 + k;
      clock.advanceTo(atInt(close.dates, i));
      const equityPre = ledger.markToMarket(i, k);
      if (!(equityPre > 0)) {
        // Bankrupt before trading (marked to this close): book the day without trades and stop.
        ledger.bookClose(k, ledger.borrowToday);
        this.#bankrupt(i, k, equityPre);
        return;
      }
      let costToday = ledger.borrowToday;
      // Trade what was decided yesterday (next-close) …
      if (nextClose && this.#pending) costToday += this.#trade(i, k, equityPre);
      // … decide on today's close, and trade it at once when filling at the same close.
      if (isRebalanceDay(this.#plan.frequency, close.dates, i, i0) && !(nextClose && i === i1)) {
        const deciding = this.#decide(i, k, equityPre);
        if (deciding !== undefined) await deciding;
        if (!nextClose) costToday += this.#trade(i, k, equityPre);
      } else if (!nextClose && this.#pending) costToday += this.#trade(i, k, equityPre);
      ledger.bookClose(k, costToday);
      if (!(at(ledger.equity, k) > 0)) {
        this.#bankrupt(i, k, at(ledger.equity, k));
        return;
      }
    }
  }

  /** Equity ≤ 0 (or NaN) at row `i`, day `k`: throws, or (onBankruptcy "stop") ends the run after day k. */
  #bankrupt(i: number, k: number, equity: number): void {
    const ledger = this.ledger;
    const b = bankruptcyAt(this.#config.close, k > 0 ? ledger.positionsAt(k - 1) : undefined, ledger.cash, i, k, equity);
    if (this.#config.onBankruptcy === "error") throw bankruptcyError(b, k > 0 ? at(ledger.equity, k - 1) : this.#config.initialCapital);
    this.bankruptcy = b;
    this.days = k + 1;
  }

  /** Stages 1–2: the target book decided at row `i` (day `k`); a promise only when an alpha model's is awaited. */
  #decide(i: number, k: number, equityNow: number): Promise<void> | undefined {
    const { startRow: i0, endRow: i1 } = this.#config;
    const weights = this.targets.weightsAt(i, k, i1 - i0 + 1);
    if (weights instanceof Promise) return weights.then((w) => this.#limit(w, i, equityNow));
    this.#limit(weights, i, equityNow);
    return undefined;
  }

  #limit(weights: Float64Array, i: number, equityNow: number): void {
    this.limits.apply(weights, i, equityNow, this.ledger.peak, this.#target);
    this.#pending = true;
  }

  /** Stages 3–4: orders towards the target, filled at row `i`'s close; returns the day's transaction costs. */
  #trade(i: number, k: number, equityPre: number): number {
    const unpriced = submitOrders(this.#sizing, this.#target, equityPre, this.ledger, this.#day, this.#orders);
    const day = this.fills.fill(this.#day, this.#orders, i, atInt(this.#config.close.dates, i), this.ledger, this.trades);
    this.#pending = unpriced || day.unfilled;
    this.ledger.turnover[k] = equityPre > 0 ? day.traded / equityPre : 0;
    return day.cost;
  }
}
