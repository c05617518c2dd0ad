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
import { checkKeys, opt } from "../data/index.js";
import type { CloseFills } from "./close-fills.js";
import { type CostModel, costKindIndex, valueOr } from "./cost-model.js";
import type { Order, OrderSide, OrderType } from "./order.js";
import type { OrderColumns } from "./order-columns.js";
import type { OrderManager } from "./order-manager.js";
import { VolumeParticipationCap } from "./participation.js";
import { Price, Quantity } from "./precision.js";

/** Options of {@link SimulatedVenue}. */
export interface SimulatedVenueOptions {
  /** Venue name (default "SIM"). */
  name?: string;
  /** Cost models applied to each fill, each of a kind in `COST_KINDS` (default none). */
  costs?: readonly CostModel[];
  /** Participation cap (default: 10% of bar volume; `null` for none). */
  participation?: VolumeParticipationCap | null;
  /** Decimal places of prices (default 4). */
  pricePrecision?: number;
}

const OPTION_KEYS = ["name", "costs", "participation", "pricePrecision"];

export class SimulatedVenue {
  readonly name: string;
  readonly costs: readonly CostModel[];
  readonly participation: VolumeParticipationCap | null;
  readonly pricePrecision: number;
  /** Slot in `COST_KINDS` of each cost model. */
  readonly #kindSlot: Int8Array;
  /** 1 for a model no other model shares its kind with. */
  readonly #alone: Uint8Array;
  /** Per model, its kind's running sum in the batch fill (scratch). */
  readonly #modelSums: Float64Array;

  constructor(options: SimulatedVenueOptions = {}) {
    const w = "SimulatedVenue";
    const o = checkKeys(w, options, OPTION_KEYS);
    this.name = opt.string("SIM", { nonEmpty: true }).check(w, "option name", valueOr(o, "name", "SIM"));
    const costs = valueOr(o, "costs", []);
    if (!Array.isArray(costs)) throw new TypeError(`${w}: option costs must be an array of cost models, got ${opt.describeValue(costs)}`);
    this.#kindSlot = Int8Array.from(costs as unknown[], (m) => costKindIndex(w, m));
    const slots = this.#kindSlot;
    this.#alone = Uint8Array.from(slots, (s) => (slots.filter((t) => t === s).length === 1 ? 1 : 0));
    this.#modelSums = new Float64Array(slots.length);
    this.costs = Object.freeze([...(costs as CostModel[])]);
    const cap = o.get("participation");
    if (cap !== undefined && cap !== null && !(cap instanceof VolumeParticipationCap)) {
      throw new TypeError(`${w}: option participation must be a VolumeParticipationCap or null, got ${opt.describeValue(cap)}`);
    }
    this.participation = cap === undefined ? new VolumeParticipationCap() : cap;
    this.pricePrecision = opt.integer(4, { min: 0, max: 9 }).check(w, "option pricePrecision", valueOr(o, "pricePrecision", 4));
  }

  /** Total cost of a fill under every cost model (currency); a model's cost that is not finite and ≥ 0 is a RangeError naming it. */
  costOf(quantity: number, price: number, adv: number, sigma: number): number {
    let c = 0;
    for (const m of this.costs) {
      const x = m.cost(quantity, price, adv, sigma);
      if (!(x >= 0 && x < Infinity)) throw badCost(m, x, quantity, price);
      c += x;
    }
    return c;
  }

  /**
   * Like {@link costOf}, also adding each model's cost to its kind's slot of `byKind` (indexed as
   * `COST_KINDS`: commission, spread, impact). A cost that is not finite and ≥ 0 is a RangeError.
   */
  chargeCosts(quantity: number, price: number, adv: number, sigma: number, byKind: Float64Array): number {
    const models = this.costs;
    const slot = this.#kindSlot;
    let c = 0;
    for (let m = 0; m < models.length; m++) {
      const x = (models[m] as CostModel).cost(quantity, price, adv, sigma);
      if (!(x >= 0 && x < Infinity)) throw badCost(models[m] as CostModel, x, quantity, price);
      c += x;
      byKind[slot[m] as number] = (byKind[slot[m] as number] as number) + x;
    }
    return c;
  }

  /**
   * The price an order of `type` on `side` (limit `limit`) fills at on a bar, or NaN when it does not
   * fill there: market at the open, market-on-close at the close, a limit buy when low ≤ limit at
   * min(limit, open), a limit sell when high ≥ limit at max(limit, open).
   */
  barPrice(type: OrderType, side: OrderSide, limit: number, open: number, high: number, low: number, close: number): number {
    if (type === "market") return open;
    if (type === "moc") return close;
    if (side === "buy") return low <= limit ? Math.min(limit, open) : Number.NaN;
    return high >= limit ? Math.max(limit, open) : Number.NaN;
  }

  /** The part of an open quantity `leaves` (≥ 0) fillable on a bar with `volume` (the participation cap, in lots of `lot`). */
  fillable(leaves: number, volume: number, lot = 1): number {
    return this.participation === null ? leaves : this.participation.fillable(leaves, volume, lot);
  }

  /**
   * Tries to fill `order` on a bar; applies the fill through `manager` and returns the filled
   * quantity (0 when nothing filled). The price is rounded to `pricePrecision`, inside the bar.
   */
  matchBar(manager: OrderManager, order: Order, open: number, high: number, low: number, close: number, volume: number, adv = Number.NaN, sigma = Number.NaN): number {
    const limit = order.limitPrice === undefined ? Number.NaN : order.limitPrice.value;
    const px = this.barPrice(order.type, order.side, limit, open, high, low, close);
    if (!(px > 0)) return 0;
    const q = this.fillable(order.leavesQuantity.value, volume);
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

  /**
   * Fills columnar market-on-close order `id` at the bar's `close` (the data's price as given: columnar
   * quantities and prices are floats), under the participation cap in lots of `lot` and the cost
   * models (costs added to `byKind`, indexed as `COST_KINDS`). Returns the signed filled quantity (0: nothing filled;
   * the order stays open). `adv`, `sigma`: the cost models' market state.
   */
  fillOnClose(orders: OrderColumns, id: number, close: number, volume: number, lot: number, adv: number, sigma: number, byKind: Float64Array): number {
    if (!(close > 0)) return 0;
    const leaves = orders.signedLeaves(id);
    const q = this.fillable(Math.abs(leaves), volume, lot);
    if (q <= 0) return 0;
    const signed = leaves < 0 ? -q : q;
    orders.fill(id, q, close, this.chargeCosts(signed, close, adv, sigma, byKind));
    return signed;
  }

  /**
   * The batch form of {@link fillOnClose}, for a day's book of market-on-close orders given as
   * columns: order k is for `leaves[k]` open shares (signed: + buy, − sell) of asset `asset[k]`,
   * k < n. Fills them at their assets' closes under the participation cap (lots of `lot`) and the
   * cost models — the same quantities, costs and `byKind` sums as fillOnClose on each order in
   * order, bit for bit — and writes the fills, in order, into `out` (`out.order[k]`: the order's k).
   * Per asset j: `close[j]`, `volume[j]` (the cap's volume; `volume` undefined or NaN: uncapped),
   * `adv[j]`, `sigma[j]` (undefined: NaN). Applying the fills to an order table is the caller's
   * (`OrderColumns.fillAll`). One pass per stage over typed arrays: quantities, then each model's
   * costs of all fills (its `costMany` when it has one), then the checked sums. A cost that is not
   * finite and ≥ 0 (or a model that throws) is a {@link FillCostError} naming the order.
   */
  fillOnCloseAll(asset: Int32Array, leaves: Float64Array, n: number, close: Float64Array, volume: Float64Array | undefined, adv: Float64Array | undefined, sigma: Float64Array | undefined, lot: number, byKind: Float64Array, out: CloseFills): void {
    const models = this.costs;
    out.reset(n, models.length);
    const cap = volume === undefined ? null : this.participation;
    const fOrder = out.order;
    const fAsset = out.asset;
    const fQty = out.quantity;
    const fPrice = out.price;
    const fAdv = out.adv;
    const fSigma = out.sigma;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const j = asset[k] as number;
      const p = close[j] as number;
      if (!(p > 0)) continue;
      const l = leaves[k] as number;
      const a = Math.abs(l);
      const q = cap === null ? a : cap.fillable(a, (volume as Float64Array)[j] as number, lot);
      if (q <= 0) continue;
      fOrder[m] = k;
      fAsset[m] = j;
      fQty[m] = l < 0 ? -q : q;
      fPrice[m] = p;
      m++;
    }
    out.n = m;
    gatherByAsset(adv, fAsset, m, fAdv);
    gatherByAsset(sigma, fAsset, m, fSigma);
    for (let c = 0; c < models.length; c++) this.#modelCosts(c, out);
    this.#sumCosts(byKind, out);
  }

  /** Model `m`'s cost of each fill of `out` into `out.byModel[m]`. */
  #modelCosts(m: number, out: CloseFills): void {
    const model = this.costs[m] as CostModel;
    const dst = out.byModel[m] as Float64Array;
    if (model.costMany !== undefined) {
      model.costMany(out.quantity, out.price, out.adv, out.sigma, out.n, dst);
      return;
    }
    const { quantity, price, adv, sigma } = out;
    for (let k = 0; k < out.n; k++) {
      try {
        dst[k] = model.cost(quantity[k] as number, price[k] as number, adv[k] as number, sigma[k] as number);
      } catch (e) {
        throw new FillCostError(out.order[k] as number, (e as Error).message ?? String(e), e);
      }
    }
  }

  /**
   * Checks the models' costs of each fill and sums them into `out.cost` (per fill, models in order:
   * 0 + c₀ + c₁ …, as chargeCosts adds them) and into `byKind` (per kind, fill by fill and, for
   * kinds with several models, model by model within a fill — chargeCosts' order of additions).
   * Model-major passes over contiguous columns; a bad cost is reported for the first fill (then
   * model) that has one, before `byKind` changes.
   */
  #sumCosts(byKind: Float64Array, out: CloseFills): void {
    const models = this.costs;
    const n = out.n;
    const { byModel, cost } = out;
    cost.fill(0, 0, n);
    let badFill = n;
    let badModel = -1;
    const kindSlot = this.#kindSlot;
    const sums = this.#modelSums;
    for (let m = 0; m < models.length; m++) {
      const x = byModel[m] as Float64Array;
      // A model alone in its kind: its kind's sum in the same pass (byKind[slot] + x₀ + x₁ …, fill order).
      let acc = byKind[kindSlot[m] as number] as number;
      for (let k = 0; k < n; k++) {
        const c = x[k] as number;
        if (!(c >= 0 && c < Infinity)) {
          if (k < badFill) (badFill = k), (badModel = m);
          break;
        }
        cost[k] = (cost[k] as number) + c;
        acc += c;
      }
      sums[m] = acc;
    }
    if (badModel >= 0) {
      const k = badFill;
      throw new FillCostError(out.order[k] as number, badCost(models[badModel] as CostModel, (byModel[badModel] as Float64Array)[k] as number, out.quantity[k] as number, out.price[k] as number).message);
    }
    for (let m = 0; m < models.length; m++) if (this.#alone[m] === 1) byKind[kindSlot[m] as number] = sums[m] as number;
    for (let slot = 0; slot < byKind.length; slot++) this.#sumKind(slot, byKind, out);
  }

  /** Adds the costs of a kind that several models share to `byKind[slot]`, fill by fill and model by model within a fill (chargeCosts' order). */
  #sumKind(slot: number, byKind: Float64Array, out: CloseFills): void {
    const kindSlot = this.#kindSlot;
    let first = -1;
    let several = false;
    for (let m = 0; m < kindSlot.length; m++) {
      if (kindSlot[m] !== slot) continue;
      if (first < 0) first = m;
      else several = true;
    }
    if (first < 0 || !several) return; // a model alone in its kind was summed by #sumCosts
    const n = out.n;
    let acc = byKind[slot] as number;
    for (let k = 0; k < n; k++) {
      for (let m = first; m < kindSlot.length; m++) if (kindSlot[m] === slot) acc += (out.byModel[m] as Float64Array)[k] as number;
    }
    byKind[slot] = acc;
  }
}

/** `out[k]` = `byAsset[asset[k]]` for k < n (NaN for all when `byAsset` is undefined). */
function gatherByAsset(byAsset: Float64Array | undefined, asset: Int32Array, n: number, out: Float64Array): void {
  if (byAsset === undefined) {
    out.fill(Number.NaN, 0, n);
    return;
  }
  for (let k = 0; k < n; k++) out[k] = byAsset[asset[k] as number] as number;
}

/** A cost model's cost of one order's fill was not finite and ≥ 0, or the model threw: `order` is the order's id. */
export class FillCostError extends RangeError {
  readonly order: number;
  constructor(order: number, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "RangeError";
    this.order = order;
  }
}

/** A cost model returned a cost that is NaN, ±Infinity or negative. */
function badCost(model: CostModel, cost: number, quantity: number, price: number): RangeError {
  return new RangeError(
    `SimulatedVenue: cost model ${model.name} (kind ${model.kind}) returned ${cost} for ${quantity} shares at ${price}; ` +
      "a cost model must return a finite cost ≥ 0 in currency — fix the model (a rebate is not a cost model)",
  );
}

export function simulatedVenue(options?: SimulatedVenueOptions): SimulatedVenue {
  return new SimulatedVenue(options);
}
