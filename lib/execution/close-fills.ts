/**
 * One day's market-on-close fills as columns (struct of arrays), written by
 * `SimulatedVenue.fillOnCloseAll` and read by the daily backtester's ledger and trade log: fill k
 * is order `order[k]` of asset `asset[k]`, `quantity[k]` shares (signed: + buy, − sell) at
 * `price[k]`, costing `cost[k]` (all kinds). The columns are reused day after day (and grow by
 * doubling when a day has more fills than ever before), so a day of fills allocates nothing.
 */
import { columnCapacity, grownColumn } from "./columns.js";

export class CloseFills {
  /** Fills in the columns (the rest of each column is stale). */
  n = 0;
  order: Int32Array;
  asset: Int32Array;
  quantity: Float64Array;
  price: Float64Array;
  /** The cost models' market state of each fill: ADV (shares a day) and daily σ, NaN when unknown. */
  adv: Float64Array;
  sigma: Float64Array;
  cost: Float64Array;
  /** Per cost model, its cost of each fill (the venue's scratch). */
  byModel: Float64Array[] = [];

  /** `capacity`: fills before the first growth (default 64). */
  constructor(capacity = 64) {
    columnCapacity("CloseFills", capacity);
    this.order = new Int32Array(capacity);
    this.asset = new Int32Array(capacity);
    this.quantity = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.adv = new Float64Array(capacity);
    this.sigma = new Float64Array(capacity);
    this.cost = new Float64Array(capacity);
  }

  /** Empties the columns and makes room for `fills` rows and `models` cost models. */
  reset(fills: number, models: number): void {
    this.n = 0;
    if (fills > this.order.length) this.#grow(Math.max(fills, this.order.length * 2));
    const cap = this.order.length;
    const byModel = this.byModel;
    while (byModel.length < models) byModel.push(new Float64Array(cap));
    for (let m = 0; m < byModel.length; m++) if ((byModel[m] as Float64Array).length < cap) byModel[m] = new Float64Array(cap);
  }

  #grow(m: number): void {
    this.order = grownColumn(this.order, m);
    this.asset = grownColumn(this.asset, m);
    this.quantity = grownColumn(this.quantity, m);
    this.price = grownColumn(this.price, m);
    this.adv = grownColumn(this.adv, m);
    this.sigma = grownColumn(this.sigma, m);
    this.cost = grownColumn(this.cost, m);
  }
}
