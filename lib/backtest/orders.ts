/**
 * Stage 3, orders: target weights → one market-on-close order per asset that must trade, in the
 * columnar order table (lib/execution's `OrderColumns`, the order state table of the event engine).
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

/**
 * Clears `orders` and submits (and accepts) the orders that move the book to `target` at the prices
 * of the row the ledger was last marked to (`ledger.priceRow`).
 * Returns true when some asset with a target or a position had no price (the book is not yet there).
 */
export function submitOrders(sizing: OrderSizing, target: Float64Array, equityPre: number, ledger: Ledger, orders: OrderColumns): boolean {
  const shares = ledger.shares;
  const prices = ledger.priceRow;
  const fractional = sizing.fractionalShares;
  const minTrade = sizing.minTradeFraction * equityPre;
  let unpriced = false;
  orders.clear();
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
    orders.accept(orders.submit(j, dq));
  }
  return unpriced;
}
