/**
 * `backtestWeights`: the daily accounting of a path of target weights (fractions of equity), the
 * vectorised backtest a paper's strategy is stated in — gross and net returns, turnover, long and short
 * exposure and each cost model's charge, day by day, so every summary figure can be recomputed.
 *
 * Timing: the target of row t is decided after the close of t from data up to t. With
 * `fillAt: "next-close"` (default) it is traded at the close of t + 1 — a market-on-close order sent
 * after seeing the close of t; with `fillAt: "close"` at the close of t itself (the paper's convention:
 * signals and trades on the same closing prices — optimistic, as no one can trade at a price used to
 * decide the trade).
 *
 * Day t (R_i,t the simple return of asset i from close t − 1 to close t; a missing price is carried
 * forward, so its return is 0):
 *   gross_t = Σ_i h_i,t−1 · R_i,t                  (h: weights held after the close of t − 1)
 *   d_i     = h_i,t−1 (1 + R_i,t) / (1 + gross_t)   (drifted weights before trading)
 *   h_t     = rebalancer(d, target) (or target)     (a missing target row holds d)
 *   cost_t  = Σ_i Σ_models cost(|h_i,t − d_i|·E/P_i, P_i, NaN, σ_i) / E   (E: equity before trading)
 *   net_t   = (1 + gross_t)(1 − cost_t) − 1
 *   turnover_t = Σ_i |h_i,t − d_i|,  long_t = Σ max(h_i,t, 0),  short_t = Σ max(−h_i,t, 0).
 * Cash earns nothing (the returns are those of a self-financing long/short book). σ_i is the standard
 * deviation of the last 20 returns to t − 1 (for impact models). Equity at or below zero is an error:
 * a bankrupt book has no returns.
 */
import { type DateLike, fromEpochDay, opt, Panel, readOptions, toEpochDay } from "../data/index.js";
import { BpsCommission, type CostKind, type CostModel } from "../execution/index.js";
import type { Rebalancer } from "../portfolio/index.js";
import { TradeLog, type TradeTable } from "./trade-log.js";

/** Options of {@link backtestWeights}. */
export interface WeightBacktestOptions {
  /** When a target decided at the close of t is traded (default "next-close"). */
  fillAt?: "close" | "next-close";
  /** Cost per side as a fraction of traded notional (0.0005 = 5 bp a side, 10 bp a round trip), or cost models (default 0). */
  costs?: number | readonly CostModel[];
  /** Moves the drifted book towards the target (lib/portfolio's no-trade band, turnover penalty) (default: trade to the target). */
  rebalancer?: Rebalancer;
  /** First row accounted (default: the first date). Earlier targets are ignored. */
  start?: DateLike;
  /** Equity the per-share cost models see, in currency (default 1e8). */
  capital?: number;
  /** Also return the weights held over each day (`holdings`) and the trades (`trades`) (default false). */
  keepHoldings?: boolean;
}

/** Daily series of {@link backtestWeights}, all of the length of `dates`. */
export interface WeightBacktestResult {
  readonly dates: Int32Array;
  readonly assets: readonly string[];
  readonly fillAt: "close" | "next-close";
  /** Return before costs. */
  readonly gross: Float64Array;
  /** Return after costs. */
  readonly net: Float64Array;
  /** Σ|traded weight| (both sides, a fraction of equity). */
  readonly turnover: Float64Array;
  /** Σ of positive weights after trading. */
  readonly long: Float64Array;
  /** Σ of |negative weights| after trading. */
  readonly short: Float64Array;
  /** Cost as a fraction of equity, per cost kind (and `total`). */
  readonly costs: Readonly<Record<CostKind | "total", Float64Array>>;
  /** Weights held after the last close. */
  readonly finalWeights: Float64Array;
  /** With `keepHoldings`: the weights held over each day (after the previous close's trades, before the day's return). */
  readonly holdings?: Panel;
  /**
   * With `keepHoldings`: every trade — shares at `capital` compounded by the net returns, the close it was
   * filled at, and its share of the day's cost in currency (pro rata to traded notional: exact for costs
   * proportional to notional, such as the default per-side rate).
   */
  readonly trades?: TradeTable;
}

const isCosts = (v: unknown): v is number | readonly CostModel[] =>
  (typeof v === "number" && Number.isFinite(v) && v >= 0) || (Array.isArray(v) && v.every((m) => typeof (m as CostModel)?.cost === "function"));
const isRebalancer = (v: unknown): v is Rebalancer => typeof (v as Rebalancer)?.rebalance === "function";

/** Accounts a path of target weights (a Panel over the prices' dates and assets; NaN = 0) on close prices. */
export function backtestWeights(prices: Panel, targets: Panel, options?: WeightBacktestOptions): WeightBacktestResult {
  const W = "backtestWeights";
  const o = readOptions(W, options, {
    fillAt: opt.oneOf(["close", "next-close"], "next-close"),
    costs: opt.custom("a cost per side ≥ 0 or an array of lib/execution cost models", () => 0 as number | readonly CostModel[], isCosts),
    rebalancer: opt.optional(opt.custom("a Rebalancer (rebalance(current, target))", () => undefined as unknown as Rebalancer, isRebalancer)),
    start: opt.optional(opt.custom("a date", () => "" as DateLike, (v): v is DateLike => typeof v === "string" || typeof v === "number" || v instanceof Date)),
    capital: opt.number(1e8, { min: 0, open: true }),
    keepHoldings: opt.boolean(false),
  });
  checkShapes(W, prices, targets);
  const models: readonly CostModel[] = typeof o.costs === "number" ? (o.costs > 0 ? [new BpsCommission({ rate: o.costs })] : []) : o.costs;
  const first = o.start === undefined ? 0 : lowerBound(prices.dates, toEpochDay(o.start));
  return run(prices, targets, { fillAt: o.fillAt, models, rebalancer: o.rebalancer, first, capital: o.capital, keep: o.keepHoldings });
}

function checkShapes(W: string, prices: Panel, targets: Panel): void {
  if (!(prices instanceof Panel)) throw new TypeError(`${W}: prices must be a Panel of close prices`);
  if (!(targets instanceof Panel)) throw new TypeError(`${W}: targets must be a Panel of target weights`);
  if (targets.nDates !== prices.nDates || targets.nAssets !== prices.nAssets) {
    throw new RangeError(`${W}: targets is ${targets.nDates} × ${targets.nAssets}, prices ${prices.nDates} × ${prices.nAssets}; give one target per date and asset`);
  }
  for (let j = 0; j < prices.nAssets; j++) if (prices.assets[j] !== targets.assets[j]) throw new RangeError(`${W}: targets' asset ${j} is ${targets.assets[j]}, prices' ${prices.assets[j]}`);
  for (let i = 0; i < prices.nDates; i++) if (prices.dates[i] !== targets.dates[i]) throw new RangeError(`${W}: targets' dates differ from the prices' at row ${i}`);
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface RunSpec {
  fillAt: "close" | "next-close";
  models: readonly CostModel[];
  rebalancer: Rebalancer | undefined;
  first: number;
  capital: number;
  keep: boolean;
}

/** Per-day state of the book while accounting. */
interface Book {
  held: Float64Array;
  last: Float64Array; // last finite price per asset
  sigma: TrailingSigma;
  equity: number;
}

function run(prices: Panel, targets: Panel, spec: RunSpec): WeightBacktestResult {
  const n = prices.nAssets;
  const T = prices.nDates - spec.first;
  const out = {
    gross: new Float64Array(T), net: new Float64Array(T), turnover: new Float64Array(T), long: new Float64Array(T), short: new Float64Array(T),
    costs: { commission: new Float64Array(T), spread: new Float64Array(T), impact: new Float64Array(T), total: new Float64Array(T) },
  };
  const book: Book = { held: new Float64Array(n), last: new Float64Array(n).fill(Number.NaN), sigma: new TrailingSigma(n, 20), equity: spec.capital };
  const r = new Float64Array(n);
  const target = new Float64Array(n);
  const kept = spec.keep ? { holdings: Array.from({ length: n }, () => new Float64Array(T)), trades: new TradeLog() } : null;
  for (let i = spec.first; i < prices.nDates; i++) {
    const k = i - spec.first;
    if (kept !== null) for (let j = 0; j < n; j++) (kept.holdings[j] as Float64Array)[k] = book.held[j] as number;
    returnsAt(prices, i, book.last, r);
    const g = grossAndDrift(book.held, r);
    out.gross[k] = g;
    book.equity *= 1 + g;
    if (!(book.equity > 0)) throw new RangeError(`backtestWeights: the book is bankrupt on ${fromEpochDay(prices.dates[i] as number)} (equity ${book.equity}); no return is defined after that`);
    const decided = spec.fillAt === "close" ? i : i - 1;
    const next = decided >= spec.first ? targetRow(targets, decided, target) : book.held;
    const held = spec.rebalancer === undefined || next === book.held ? next.slice() : spec.rebalancer.rebalance(book.held, next);
    const c = chargeCosts(book, held, spec.models, out.costs, k);
    if (kept !== null) logTrades(kept.trades, prices.dates[i] as number, book, held, c);
    out.net[k] = (1 + g) * (1 - c) - 1;
    book.equity *= 1 - c;
    exposures(book.held, held, out, k);
    book.held = held;
    book.sigma.add(r);
  }
  const dates = prices.dates.slice(spec.first);
  const extra = kept === null ? {} : { holdings: new Panel(dates, prices.assets, kept.holdings, { validate: false }), trades: kept.trades.finish(prices.assets) };
  return Object.freeze({ dates, assets: prices.assets, fillAt: spec.fillAt, ...out, costs: Object.freeze(out.costs), finalWeights: book.held, ...extra });
}

/** Records the day's trades (drifted weights → held) in shares at the book's equity before costs; the cost c (a fraction of equity) pro rata to notional. */
function logTrades(log: TradeLog, date: number, book: Book, held: Float64Array, c: number): void {
  let traded = 0;
  for (let j = 0; j < held.length; j++) traded += Math.abs((held[j] as number) - (book.held[j] as number));
  for (let j = 0; j < held.length; j++) {
    const dw = (held[j] as number) - (book.held[j] as number);
    const p = book.last[j] as number;
    if (dw === 0 || !(p > 0)) continue;
    log.push(date, j, (dw * book.equity) / p, p, (c * book.equity * Math.abs(dw)) / traded);
  }
}

/** Returns of row i into r (0 for a missing price; the last finite price carries forward). */
function returnsAt(prices: Panel, i: number, last: Float64Array, r: Float64Array): void {
  for (let j = 0; j < r.length; j++) {
    const p = (prices.columns[j] as Float64Array)[i] as number;
    const prev = last[j] as number;
    r[j] = Number.isFinite(p) && Number.isFinite(prev) && prev > 0 ? p / prev - 1 : 0;
    if (Number.isFinite(p) && p > 0) last[j] = p;
  }
}

/** gross = Σ h·r; h becomes the drifted weights h(1 + r)/(1 + gross). */
function grossAndDrift(h: Float64Array, r: Float64Array): number {
  let g = 0;
  for (let j = 0; j < h.length; j++) g += (h[j] as number) * (r[j] as number);
  for (let j = 0; j < h.length; j++) h[j] = ((h[j] as number) * (1 + (r[j] as number))) / (1 + g);
  return g;
}

function targetRow(targets: Panel, i: number, out: Float64Array): Float64Array {
  for (let j = 0; j < out.length; j++) {
    const w = (targets.columns[j] as Float64Array)[i] as number;
    out[j] = Number.isFinite(w) ? w : 0;
  }
  return out;
}

/** Charges every model on each asset's trade; books them by kind; returns the total as a fraction of equity. */
function chargeCosts(book: Book, held: Float64Array, models: readonly CostModel[], costs: Record<CostKind | "total", Float64Array>, k: number): number {
  let total = 0;
  for (const m of models) {
    let c = 0;
    for (let j = 0; j < held.length; j++) {
      const dw = (held[j] as number) - (book.held[j] as number);
      const p = book.last[j] as number;
      if (dw === 0 || !(p > 0)) continue;
      c += m.cost((dw * book.equity) / p, p, Number.NaN, book.sigma.value(j));
    }
    const f = c / book.equity;
    costs[m.kind][k] = (costs[m.kind][k] as number) + f;
    total += f;
  }
  costs.total[k] = total;
  return total;
}

function exposures(before: Float64Array, after: Float64Array, out: { turnover: Float64Array; long: Float64Array; short: Float64Array }, k: number): void {
  let t = 0;
  let l = 0;
  let s = 0;
  for (let j = 0; j < after.length; j++) {
    const w = after[j] as number;
    t += Math.abs(w - (before[j] as number));
    if (w > 0) l += w;
    else s -= w;
  }
  out.turnover[k] = t;
  out.long[k] = l;
  out.short[k] = s;
}

/** Standard deviation (ddof 1) of each asset's last `window` returns, updated one row at a time. */
class TrailingSigma {
  readonly #buf: Float64Array;
  readonly #sum: Float64Array;
  readonly #sq: Float64Array;
  readonly #n: number;
  readonly #window: number;
  #count = 0;

  constructor(n: number, window: number) {
    this.#n = n;
    this.#window = window;
    this.#buf = new Float64Array(n * window);
    this.#sum = new Float64Array(n);
    this.#sq = new Float64Array(n);
  }

  add(r: Float64Array): void {
    const slot = this.#count % this.#window;
    for (let j = 0; j < this.#n; j++) {
      const old = this.#count >= this.#window ? (this.#buf[slot * this.#n + j] as number) : 0;
      const x = r[j] as number;
      this.#sum[j] = (this.#sum[j] as number) + x - old;
      this.#sq[j] = (this.#sq[j] as number) + x * x - old * old;
      this.#buf[slot * this.#n + j] = x;
    }
    this.#count++;
  }

  value(j: number): number {
    const m = Math.min(this.#count, this.#window);
    if (m < 2) return Number.NaN;
    const mean = (this.#sum[j] as number) / m;
    return Math.sqrt(Math.max(((this.#sq[j] as number) - m * mean * mean) / (m - 1), 0));
  }
}
