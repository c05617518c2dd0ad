/**
 * Stage 3, orders: target weights → one market-on-close order per asset that must trade, as the
 * day's order columns (`DayOrders`) and, all at once, in the columnar order table (lib/execution's
 * `OrderColumns`, the order state table of the event engine).
 *
 * Sizing: a target weight wᵢ becomes trunc(wᵢ·E/Pᵢ) shares at the fill, with E the equity marked at
 * that close before trading (a notional market-on-close order), so a filled position's weight never
 * exceeds the risk-managed target's. Whole shares unless `fractionalShares`. An order smaller than
 * `minTradeFraction`·E is not sent. An asset without a price that day cannot be sized: it is left
 * for a later day.
 */
import type { OrderColumns } from "../execution/index.js";
import type { Ledger } from "./accounting.js";
import { at } from "./typed.js";

export interface OrderSizing {
  readonly fractionalShares: boolean;
  readonly minTradeFraction: number;
}

/** A day's orders as columns, reused day after day: order k is for `quantity[k]` shares (signed) of `asset[k]`. */
export class DayOrders {
  n = 0;
  readonly asset: Int32Array;
  readonly quantity: Float64Array;
  constructor(nAssets: number) {
    this.asset = new Int32Array(nAssets);
    this.quantity = new Float64Array(nAssets);
  }
}

/**
 * Sizes the orders that move the book to `target` at the prices of the row the ledger was last
 * marked to (`ledger.priceRow`) into `day` (at most one per asset), and submits and accepts them in
 * `orders` (cleared first: ids are the day's order numbers).
 * Returns true when some asset with a target or a position had no price (the book is not yet there).
 */
export function submitOrders(sizing: OrderSizing, target: Float64Array, equityPre: number, ledger: Ledger, day: DayOrders, orders: OrderColumns): boolean {
  const shares = ledger.shares;
  const prices = ledger.priceRow;
  const fractional = sizing.fractionalShares;
  const minTrade = sizing.minTradeFraction * equityPre;
  const dAsset = day.asset;
  const dQty = day.quantity;
  let unpriced = false;
  let n = 0;
  for (let j = 0; j < shares.length; j++) {
    const p = at(prices, j);
    if (!(p > 0)) {
      if (at(target, j) !== 0 || at(shares, j) !== 0) unpriced = true;
      continue;
    }
    let want = (at(target, j) * equityPre) / p;
    want = fractional ? want : Math.trunc(want);
    const dq = want - at(shares, j);
    if (dq === 0 || Math.abs(dq * p) < minTrade) continue;
    dAsset[n] = j;
    dQty[n] = dq;
    n++;
  }
  day.n = n;
  orders.clear();
  orders.submitAll(dAsset, dQty, n);
  return unpriced;
}
