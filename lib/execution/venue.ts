/**
 * A simulated venue for bar data: decides whether and at what price an open order fills on a bar,
 * applying the participation cap and the cost models. It is passed into the engine (DESIGN.md
 * example 7): two backtests with two venues share nothing.
 *
 * Fill rules on a bar (open O, high H, low L, close C, volume V):
 * - market: at O (the first price after the decision; latency is the engine's job);
 * - moc (market on close): at C;
 * - limit buy at K: fills when L ≤ K, at min(K, O); limit sell: when H ≥ K, at max(K, O).
 * Every fill price lies in [L, H]. Quantity is capped by the participation cap (partial fills).
 */
import type { CostModel } from "./cost-model.js";
import type { Order } from "./order.js";
import type { OrderManager } from "./order-manager.js";
import { VolumeParticipationCap } from "./participation.js";
import { Price, Quantity } from "./precision.js";

/** Options of {@link SimulatedVenue}. */
export interface SimulatedVenueOptions {
  /** Venue name (default "SIM"). */
  name?: string;
  /** Cost models applied to each fill (default none). */
  costs?: readonly CostModel[];
  /** Participation cap (default: 10% of bar volume; `null` for none). */
  participation?: VolumeParticipationCap | null;
  /** Decimal places of prices (default 4). */
  pricePrecision?: number;
}

export class SimulatedVenue {
  readonly name: string;
  readonly costs: readonly CostModel[];
  readonly participation: VolumeParticipationCap | null;
  readonly pricePrecision: number;

  constructor(options: SimulatedVenueOptions = {}) {
    this.name = options.name ?? "SIM";
    this.costs = Object.freeze([...(options.costs ?? [])]);
    this.participation = options.participation === undefined ? new VolumeParticipationCap() : options.participation;
    const p = options.pricePrecision ?? 4;
    if (!Number.isInteger(p) || p < 0 || p > 9) throw new RangeError(`SimulatedVenue: option pricePrecision must be an integer in 0..9, got ${p}`);
    this.pricePrecision = p;
  }

  /** Total cost of a fill under every cost model (currency). */
  costOf(quantity: number, price: number, adv: number, sigma: number): number {
    let c = 0;
    for (const m of this.costs) c += m.cost(quantity, price, adv, sigma);
    return c;
  }

  /**
   * Tries to fill `order` on a bar; applies the fill through `manager` and returns the filled
   * quantity (0 when nothing filled).
   */
  matchBar(manager: OrderManager, order: Order, open: number, high: number, low: number, close: number, volume: number, adv = Number.NaN, sigma = Number.NaN): number {
    let px: number;
    if (order.type === "market") px = open;
    else if (order.type === "moc") px = close;
    else {
      const k = (order.limitPrice as Price).value;
      if (order.side === "buy") {
        if (!(low <= k)) return 0;
        px = Math.min(k, open);
      } else {
        if (!(high >= k)) return 0;
        px = Math.max(k, open);
      }
    }
    if (!(px > 0)) return 0;
    const leaves = order.leavesQuantity.value;
    const q = this.participation === null ? leaves : this.participation.fillable(leaves, volume);
    if (q <= 0) return 0;
    const scale = 10 ** this.pricePrecision;
    let rounded = Math.round(px * scale) / scale;
    // Rounding to the tick must not leave the bar's range.
    if (rounded > high) rounded = Math.floor(high * scale) / scale;
    if (rounded < low) rounded = Math.ceil(low * scale) / scale;
    const price = new Price(rounded, this.pricePrecision);
    const signed = order.side === "buy" ? q : -q;
    manager.fill(order.id, new Quantity(q, order.quantity.precision), price, this.costOf(signed, price.value, adv, sigma));
    return q;
  }
}

export function simulatedVenue(options?: SimulatedVenueOptions): SimulatedVenue {
  return new SimulatedVenue(options);
}
