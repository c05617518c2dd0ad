/**
 * Stage 4, fills and costs: the venue fills each market-on-close order at the day's close under
 * its participation cap and charges its cost models (lib/execution's `SimulatedVenue`, the venue
 * of the event engine); what the cap leaves open expires at the close and is re-sized the next day.
 * Each fill is booked in the ledger and the trade log.
 */
import { fromEpochDay } from "../data/index.js";
import { COST_KINDS, type OrderColumns, type SimulatedVenue } from "../execution/index.js";
import type { Ledger } from "./accounting.js";
import type { MarketEstimates } from "./estimates.js";
import type { TradeLog } from "./trade-log.js";
import { at, columnAt } from "./typed.js";

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
  readonly #estimates: MarketEstimates | undefined;
  readonly #lot: number;
  readonly #day: DayFills = { cost: 0, traded: 0, unfilled: false };
  readonly #assets: readonly string[];

  constructor(venue: SimulatedVenue, assets: readonly string[], volume: readonly Float64Array[] | undefined, estimates: MarketEstimates | undefined, fractional: boolean) {
    this.#venue = venue;
    this.#assets = assets;
    this.#volume = volume;
    this.#estimates = estimates;
    this.#lot = fractional ? 1e-9 : 1;
  }

  /** Fills `orders` at row `i` (its prices: `ledger.priceRow`), books them on `date`; the returned object is reused by the next call. */
  fill(orders: OrderColumns, i: number, date: number, ledger: Ledger, trades: TradeLog): DayFills {
    const venue = this.#venue;
    const est = this.#estimates;
    const prices = ledger.priceRow;
    const volumes = this.#volume;
    const byKind = this.costsByKind;
    const lot = this.#lot;
    const day = this.#day;
    let cost = 0;
    let traded = 0;
    let unfilled = false;
    if (est !== undefined && orders.length > 0) est.estimate(i);
    const sigmas = est?.sigma;
    const advs = est?.adv;
    for (let id = 0; id < orders.length; id++) {
      const j = orders.asset(id);
      const p = at(prices, j);
      const volume = volumes === undefined ? Number.NaN : at(columnAt(volumes, j), i);
      const adv = advs === undefined ? Number.NaN : at(advs, j);
      const sigma = sigmas === undefined ? Number.NaN : at(sigmas, j);
      let dq: number;
      try {
        dq = venue.fillOnClose(orders, id, p, volume, lot, adv, sigma, byKind);
      } catch (e) {
        throw new RangeError(`runBacktest: filling ${this.#assets[j]} on ${fromEpochDay(date)}: ${(e as Error).message}`, { cause: e });
      }
      if (!orders.isTerminal(id)) {
        orders.expire(id);
        unfilled = true;
      }
      if (dq === 0) continue;
      const c = orders.totalCost(id);
      ledger.applyFill(j, dq, p, c);
      cost += c;
      traded += Math.abs(dq * p);
      trades.push(date, j, dq, p, c);
    }
    day.cost = cost;
    day.traded = traded;
    day.unfilled = unfilled;
    return day;
  }
}
