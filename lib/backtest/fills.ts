/**
 * Stage 4, fills and costs: the venue fills the day's market-on-close orders at the day's close
 * under its participation cap and charges its cost models (lib/execution's `SimulatedVenue`, the
 * venue of the event engine, in its batch form `fillOnCloseAll`: one pass per stage over the day's
 * orders, the same arithmetic as its one-order `fillOnClose`); what the cap leaves open expires at
 * the close and is re-sized the next day. The fills are booked in the ledger and appended to the
 * trade log as columns. Nothing is allocated per order or per day.
 */
import { fromEpochDay } from "../data/index.js";
import { CloseFills, COST_KINDS, FillCostError, type OrderColumns, type SimulatedVenue } from "../execution/index.js";
import type { Ledger } from "./accounting.js";
import type { MarketEstimates } from "./estimates.js";
import type { DayOrders } from "./orders.js";
import type { TradeLog } from "./trade-log.js";
import { at, atInt, columnAt } from "./typed.js";

/** What one day's fills did. */
export interface DayFills {
  /** Transaction costs charged (currency). */
  cost: number;
  /** Σ|traded notional|. */
  traded: number;
  /** Some order was not completely filled (it expired). */
  unfilled: boolean;
}

export class FillStage {
  /** Costs so far by kind, indexed as `COST_KINDS`. */
  readonly costsByKind = new Float64Array(COST_KINDS.length);
  readonly #venue: SimulatedVenue;
  readonly #volume: readonly Float64Array[] | undefined;
  /** The day's volume per asset (gathered from the volume columns). */
  readonly #volumeRow: Float64Array | undefined;
  readonly #estimates: MarketEstimates | undefined;
  readonly #lot: number;
  readonly #day: DayFills = { cost: 0, traded: 0, unfilled: false };
  readonly #fills: CloseFills;
  readonly #assets: readonly string[];

  constructor(venue: SimulatedVenue, assets: readonly string[], volume: readonly Float64Array[] | undefined, estimates: MarketEstimates | undefined, fractional: boolean) {
    this.#venue = venue;
    this.#assets = assets;
    this.#volume = volume;
    this.#volumeRow = volume === undefined ? undefined : new Float64Array(assets.length);
    this.#estimates = estimates;
    this.#lot = fractional ? 1e-9 : 1;
    this.#fills = new CloseFills(Math.max(1, assets.length));
  }

  /**
   * Fills the day's orders (`day`, submitted in `orders`) at row `i` (its prices: `ledger.priceRow`),
   * books them on `date`; the returned object is reused by the next call.
   */
  fill(day: DayOrders, orders: OrderColumns, i: number, date: number, ledger: Ledger, trades: TradeLog): DayFills {
    const est = this.#estimates;
    const result = this.#day;
    const fills = this.#fills;
    if (est !== undefined && day.n > 0) est.estimate(i);
    const volumeRow = this.#volumeRow;
    if (volumeRow !== undefined && day.n > 0) gatherRow(this.#volume as readonly Float64Array[], i, volumeRow);
    try {
      this.#venue.fillOnCloseAll(day.asset, day.quantity, day.n, ledger.priceRow, volumeRow, est?.adv, est?.sigma, this.#lot, this.costsByKind, fills);
    } catch (e) {
      if (!(e instanceof FillCostError)) throw e;
      throw new RangeError(`runBacktest: filling ${this.#assets[atInt(day.asset, e.order)]} on ${fromEpochDay(date)}: ${e.message}`, { cause: e });
    }
    const completed = orders.fillAll(fills.order, fills.quantity, fills.price, fills.cost, fills.n);
    // The table holds today's orders only, each filled at most once: when every one was completed, none is left to expire.
    result.unfilled = completed < orders.length && orders.expireOpen() > 0;
    ledger.applyFills(fills, result);
    trades.append(date, fills);
    return result;
  }
}

/** `out[j]` = column j's value at row `i`. */
function gatherRow(columns: readonly Float64Array[], i: number, out: Float64Array): void {
  for (let j = 0; j < out.length; j++) out[j] = at(columnAt(columns, j), i);
}
