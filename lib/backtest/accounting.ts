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
  /** Shares at each close, row-major days × assets (sequential writes in the day loop). */
  readonly positions: Float64Array;
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
    this.positions = new Float64Array(T * n);
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

  /** Books a day's fills (signed shares at a price, costing their cost), in their order. */
  applyFills(fills: CloseFills): void {
    const shares = this.shares;
    const { asset, quantity, price, cost } = fills;
    let cash = this.cash;
    for (let k = 0; k < fills.n; k++) {
      const j = atInt(asset, k);
      const q = at(quantity, k);
      shares[j] = at(shares, j) + q;
      cash -= q * at(price, k) + at(cost, k);
    }
    this.cash = cash;
  }

  /** Books day `k`'s close: equity, returns, leverage, positions; `costToday` includes borrow. */
  bookClose(k: number, costToday: number): void {
    const n = this.n;
    const shares = this.shares;
    const last = this.last;
    const positions = this.positions;
    const row = k * n;
    let eq = this.cash;
    let g = 0;
    let net = 0;
    for (let j = 0; j < n; j++) {
      const q = at(shares, j);
      positions[row + j] = q;
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
