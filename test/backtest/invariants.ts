/**
 * Accounting invariants checked on every backtest in the tests:
 *  1. equity = cash + Σ positions at market (last close);
 *  2. day-over-day PnL = Σ shares held × price change − costs − borrow;
 *  3. every trade is at that day's close (close-only data) and inside [low, high] when given;
 *  4. on trading days no position and no gross exposure exceeds the risk manager's limits
 *     (relative to the equity the book was sized on).
 */
import { expect } from "vitest";
import type { Panel } from "../../lib/data/panel.js";
import type { BacktestResult } from "../../lib/backtest/index.js";

export interface Limits {
  maxPosition?: number;
  maxLeverage?: number;
  /** Whether partial fills may leave positions above the limits (participation cap). */
  partialFills?: boolean;
}

export function checkInvariants(r: BacktestResult, prices: Panel, limits: Limits = {}, range?: { high: Panel; low: Panel }): void {
  const n = prices.nAssets;
  const T = r.dates.length;
  const i0 = prices.indexOfDate(r.dates[0] as number);
  expect(i0).toBeGreaterThanOrEqual(0);
  const last = new Float64Array(n).fill(Number.NaN);
  for (let j = 0; j < n; j++) {
    for (let t = i0 - 1; t >= 0; t--) {
      const p = prices.columns[j]![t]!;
      if (p > 0) {
        last[j] = p;
        break;
      }
    }
  }
  let prevEquity = r.initialCapital;
  const prevShares = new Float64Array(n);
  const prevLast = new Float64Array(n);
  for (let k = 0; k < T; k++) {
    const i = i0 + k;
    let pnl = 0;
    for (let j = 0; j < n; j++) {
      prevLast[j] = last[j]!;
      const p = prices.columns[j]![i]!;
      if (p > 0) last[j] = p;
      if (prevShares[j] !== 0) pnl += prevShares[j]! * (last[j]! - prevLast[j]!);
    }
    let mkt = 0;
    let gross = 0;
    for (let j = 0; j < n; j++) {
      const q = r.positions.columns[j]![k]!;
      if (q !== 0) {
        mkt += q * last[j]!;
        gross += Math.abs(q * last[j]!);
      }
    }
    const eq = r.equityCurve[k]!;
    // 1. equity = cash + positions at market
    expect(Math.abs(eq - (r.cash[k]! + mkt))).toBeLessThan(1e-9 * r.initialCapital + 1e-6);
    // 2. PnL identity
    expect(Math.abs(eq - prevEquity - (pnl - r.dailyCosts[k]!))).toBeLessThan(1e-9 * r.initialCapital + 1e-6);
    // 4. limits on trading days
    if (r.turnover[k]! > 0 && !limits.partialFills) {
      const sizedOn = eq + r.dailyCosts[k]!;
      if (limits.maxLeverage !== undefined) expect(gross).toBeLessThanOrEqual(limits.maxLeverage * sizedOn * (1 + 1e-12));
      if (limits.maxPosition !== undefined) {
        for (let j = 0; j < n; j++) {
          const v = Math.abs(r.positions.columns[j]![k]! * last[j]!);
          expect(v).toBeLessThanOrEqual(limits.maxPosition * sizedOn * (1 + 1e-12));
        }
      }
    }
    for (let j = 0; j < n; j++) prevShares[j] = r.positions.columns[j]![k]!;
    prevEquity = eq;
  }
  // 3. trade prices
  for (let t = 0; t < r.trades.length; t++) {
    const row = prices.indexOfDate(r.trades.date[t]!);
    const j = r.trades.asset[t]!;
    const px = r.trades.price[t]!;
    expect(px).toBe(prices.columns[j]![row]!);
    if (range) {
      expect(px).toBeGreaterThanOrEqual(range.low.columns[j]![row]!);
      expect(px).toBeLessThanOrEqual(range.high.columns[j]![row]!);
    }
  }
}
