/**
 * Stage 5, accounting: cash, shares, last prices and the daily series of a backtest.
 *
 * Day t (P the close, q shares held into t, c costs and b borrow charged on t):
 *   PnL_t = Σᵢ qᵢ·(Pᵢ,t − Pᵢ,t−1) − c_t − b_t,  E_t = cash_t + Σᵢ qᵢ,t·Pᵢ,t,
 *   b_t = borrowCost/252 · Σ_{qᵢ<0} |qᵢ|·Pᵢ,t−1 (annual rate on the short notional held overnight).
 * A missing price carries the last one forward (the position is marked flat that day, not traded).
 */
import type { CloseFills } from "../execution/index.js";
import type { BacktestConfig } from "./config.js";
import { at, atInt, columnAt } from "./typed.js";

/** Days of positions staged row-major before they are moved into their columns. */
const STAGE = 64;

export class Ledger {
  readonly n: number;
  /** Shares held now, per asset. */
  readonly shares: Float64Array;
  /** Last known price per asset (NaN before the first). */
  readonly last: Float64Array;
  /** The prices of the row last marked, as given (NaN or ≤ 0 when missing), per asset. */
  readonly priceRow: Float64Array;
  cash: number;
  /** Highest equity booked so far. */
  peak: number;
  /** Borrow charged so far (currency). */
  borrow = 0;
  /** Borrow charged by the last `markToMarket`. */
  borrowToday = 0;
  readonly equity: Float64Array;
  readonly returns: Float64Array;
  readonly returnsBeforeCosts: Float64Array;
  readonly cashSeries: Float64Array;
  readonly turnover: Float64Array;
  readonly grossLeverage: Float64Array;
  readonly netLeverage: Float64Array;
  readonly dailyCosts: Float64Array;
  /**
   * Shares at each close, column-major (asset j's days at j·T … j·T + T − 1, T the run's days),
   * written through a small row-major stage of `STAGE` days that is transposed into it when full:
   * the day loop writes one contiguous row a day, and no days × assets matrix is transposed at the end.
   */
  readonly #positions: Float64Array;
  readonly #stage: Float64Array;
  /** The day in the stage's first row. */
  #stageFrom = 0;
  /** Days before this one are in #positions. */
  #flushed = 0;
  readonly #days: number;
  /** The close prices, row-major (rows × assets, `rowMajor`). */
  readonly #prices: Float64Array;
  readonly #dailyBorrow: number;
  #prevEquity: number;

  /** `prices`: the close panel's rows up to the run's last, row-major (`rowMajor(config.close.columns, …)`). */
  constructor(config: BacktestConfig, prices: Float64Array) {
    const n = config.close.nAssets;
    const T = config.endRow - config.startRow + 1;
    this.n = n;
    this.#prices = prices;
    this.#dailyBorrow = config.borrowCost / 252;
    this.shares = new Float64Array(n);
    this.priceRow = new Float64Array(n);
    this.last = seedLastPrices(config.close.columns, config.startRow);
    this.cash = config.initialCapital;
    this.peak = config.initialCapital;
    this.#prevEquity = config.initialCapital;
    this.equity = new Float64Array(T);
    this.returns = new Float64Array(T);
    this.returnsBeforeCosts = new Float64Array(T);
    this.cashSeries = new Float64Array(T);
    this.turnover = new Float64Array(T);
    this.grossLeverage = new Float64Array(T);
    this.netLeverage = new Float64Array(T);
    this.dailyCosts = new Float64Array(T);
    this.#days = T;
    this.#positions = new Float64Array(T * n);
    this.#stage = new Float64Array(STAGE * n);
  }

  /**
   * Marks the book to row `i` (day `k` of the run) and charges borrow on the shorts held overnight
   * (`borrowToday`). Returns the equity before trading.
   */
  markToMarket(i: number, k: number): number {
    const shares = this.shares;
    const last = this.last;
    const row = this.priceRow;
    const prices = this.#prices;
    const daily = this.#dailyBorrow;
    const n = this.n;
    const base = i * n;
    let equityPre = this.cash;
    let borrowToday = 0;
    for (let j = 0; j < n; j++) {
      const q = at(shares, j);
      const p = at(prices, base + j);
      row[j] = p;
      const lp = at(last, j);
      if (q < 0 && daily > 0 && k > 0) borrowToday += -q * lp * daily;
      if (p > 0) last[j] = p;
      if (q !== 0) equityPre += q * at(last, j);
    }
    this.cash -= borrowToday;
    this.borrow += borrowToday;
    this.borrowToday = borrowToday;
    return equityPre - borrowToday;
  }

  /**
   * Books a day's fills (signed shares at a price, costing their cost), in their order, and writes
   * their total cost and Σ|traded notional| into `totals` (the same pass).
   */
  applyFills(fills: CloseFills, totals: { cost: number; traded: number }): void {
    const shares = this.shares;
    const { asset, quantity, price, cost } = fills;
    let cash = this.cash;
    let costs = 0;
    let traded = 0;
    for (let k = 0; k < fills.n; k++) {
      const j = atInt(asset, k);
      const q = at(quantity, k);
      const notional = q * at(price, k);
      const c = at(cost, k);
      shares[j] = at(shares, j) + q;
      cash -= notional + c;
      costs += c;
      traded += Math.abs(notional);
    }
    this.cash = cash;
    totals.cost = costs;
    totals.traded = traded;
  }

  /** Books day `k`'s close: equity, returns, leverage, positions; `costToday` includes borrow. */
  bookClose(k: number, costToday: number): void {
    const n = this.n;
    const shares = this.shares;
    const last = this.last;
    const stage = this.#stage;
    const row = (k - this.#stageFrom) * n;
    let eq = this.cash;
    let g = 0;
    let net = 0;
    for (let j = 0; j < n; j++) {
      const q = at(shares, j);
      stage[row + j] = q;
      if (q !== 0) {
        const v = q * at(last, j);
        eq += v;
        g += Math.abs(v);
        net += v;
      }
    }
    const prev = this.#prevEquity;
    this.equity[k] = eq;
    this.cashSeries[k] = this.cash;
    this.returns[k] = eq / prev - 1;
    this.returnsBeforeCosts[k] = (eq + costToday) / prev - 1;
    this.grossLeverage[k] = eq > 0 ? g / eq : Number.NaN;
    this.netLeverage[k] = eq > 0 ? net / eq : Number.NaN;
    this.dailyCosts[k] = costToday;
    this.#prevEquity = eq;
    if (eq > this.peak) this.peak = eq;
    if (k + 1 - this.#stageFrom === STAGE) {
      this.#flush(k + 1);
      this.#stageFrom = k + 1;
    }
  }

  /** Moves the staged days up to `end` (exclusive; booked days only) into the column-major positions. */
  #flush(end: number): void {
    const n = this.n;
    const T = this.#days;
    const from = this.#flushed;
    if (end <= from) return;
    const stage = this.#stage;
    const positions = this.#positions;
    const r0 = (from - this.#stageFrom) * n;
    for (let j = 0; j < n; j++) {
      for (let k = from, o = j * T + from, r = r0 + j; k < end; k++, o++, r += n) positions[o] = at(stage, r);
    }
    this.#flushed = end;
  }

  /** The shares of every asset at the close of day `k` (booked), as a new array. */
  positionsAt(k: number): Float64Array {
    this.#flush(k + 1);
    const out = new Float64Array(this.n);
    for (let j = 0; j < this.n; j++) out[j] = at(this.#positions, j * this.#days + k);
    return out;
  }

  /** The positions of days [0, days) as one column per asset (views of one block); days booked after this call are not seen. */
  positionColumns(days: number): Float64Array[] {
    this.#flush(days);
    const T = this.#days;
    return Array.from({ length: this.n }, (_, j) => this.#positions.subarray(j * T, j * T + days));
  }
}

/** The last positive price of each asset strictly before row `i0` (NaN when none). */
function seedLastPrices(columns: readonly Float64Array[], i0: number): Float64Array {
  const last = new Float64Array(columns.length).fill(Number.NaN);
  for (let j = 0; j < columns.length; j++) {
    const col = columnAt(columns, j);
    for (let t = i0; t >= 0; t--) {
      const p = at(col, t);
      if (p > 0) {
        if (t < i0) last[j] = p;
        break;
      }
    }
  }
  return last;
}
